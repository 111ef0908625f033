/**
 * Where `/metrics` listens: loopback without a token, every interface with one (or with
 * METRICS_HOST), and one line naming the variable when its port is taken.
 */
import net from 'node:net';
import { metricsAddress, startMetricsServer } from '../../src/cli/metrics-server';
import { loadConfig } from '../../src/config';
import { ConfigError } from '../../src/errors';
import { silentLogger } from '../../src/logger';
import { Metrics } from '../../src/metrics';
import { externalAddress } from '../support/network';

const TOKEN = 'b'.repeat(40);

async function statusAt(host: string, port: number, token?: string): Promise<number | 'refused'> {
  try {
    return (await fetch(`http://${host}:${port}/metrics`, token ? { headers: { authorization: `Bearer ${token}` } } : {})).status;
  } catch {
    return 'refused';
  }
}

describe('the /metrics server', () => {
  const metrics = new Metrics({ processMetrics: false });

  it('defaults to port 9464 on loopback, and to every interface once METRICS_TOKEN is set', () => {
    expect(metricsAddress(loadConfig({}))).toEqual({ host: '127.0.0.1', port: 9464 });
    expect(metricsAddress(loadConfig({ METRICS_TOKEN: TOKEN }))).toEqual({ host: undefined, port: 9464 });
    expect(metricsAddress(loadConfig({ METRICS_TOKEN: TOKEN, METRICS_HOST: '127.0.0.1' }))).toEqual({ host: '127.0.0.1', port: 9464 });
  });

  it('without a token answers on loopback only', async () => {
    const server = await startMetricsServer(loadConfig({ METRICS_PORT: '0' }), metrics, silentLogger);
    try {
      expect(await statusAt('127.0.0.1', server.port)).toBe(200);
      expect(await statusAt(externalAddress(), server.port)).toBe('refused');
    } finally {
      await server.close();
    }
  });

  it('with a token answers from another host too, and only with the token', async () => {
    const server = await startMetricsServer(loadConfig({ METRICS_PORT: '0', METRICS_TOKEN: TOKEN }), metrics, silentLogger);
    try {
      expect(await statusAt(externalAddress(), server.port)).toBe(401);
      expect(await statusAt(externalAddress(), server.port, TOKEN)).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('with METRICS_HOST=0.0.0.0 answers from another host without a token', async () => {
    const server = await startMetricsServer(loadConfig({ METRICS_PORT: '0', METRICS_HOST: '0.0.0.0' }), metrics, silentLogger);
    try {
      expect(await statusAt(externalAddress(), server.port)).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('says which variable to change when the port is taken', async () => {
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as net.AddressInfo;
    try {
      const started = startMetricsServer(loadConfig({ METRICS_PORT: String(port) }), metrics, silentLogger);
      await expect(started).rejects.toThrow(ConfigError);
      await expect(started).rejects.toThrow(`METRICS_PORT ${port} on 127.0.0.1 is in use: set METRICS_PORT (or METRICS_HOST) to one that is free`);
    } finally {
      taken.close();
    }
  });
});
