import type { Services } from '../services';

export async function run(services: Services): Promise<void> {
  services.log.show(true);
}
