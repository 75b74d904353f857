// Every platform the extension knows. A new platform: one folder with a descriptor and an
// adapter, and one line here.
import type { PlatformDescriptor } from './provider';
import { zuoraDescriptor } from './zuora/descriptor';
import { difyDescriptor } from './dify/descriptor';
import { b3osDescriptor } from './b3os/descriptor';

export const platforms: readonly PlatformDescriptor[] = [zuoraDescriptor, difyDescriptor, b3osDescriptor];

export function findPlatform(id: string): PlatformDescriptor | undefined {
  return platforms.find((platform) => platform.id === id);
}
