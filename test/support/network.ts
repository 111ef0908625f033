/** An address of this machine other than loopback, to show what a server listening on loopback does not answer. */
import os from 'node:os';

export function externalAddress(): string {
  const found = Object.values(os.networkInterfaces())
    .flat()
    .find((a) => a && a.family === 'IPv4' && !a.internal);
  if (!found) throw new Error('this test needs a network interface besides loopback (an IPv4 address)');
  return found.address;
}
