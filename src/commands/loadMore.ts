import type { Services } from '../services';

export async function run(services: Services, node?: unknown): Promise<void> {
  if (node) await services.views.loadMore(node);
}
