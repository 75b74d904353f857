import type { Services } from '../services';

export async function run(services: Services): Promise<void> {
  await services.views.setRunsFilter();
}
