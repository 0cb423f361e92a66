/** Connection settings for clients and workers, from the configuration (TLS / API key for a cluster or Temporal Cloud). */
import { readFileSync } from 'node:fs';
import { Client, Connection, type ConnectionOptions } from '@temporalio/client';
import type { Config } from '../config';

export function connectionOptions(config: Config): ConnectionOptions {
  const options: ConnectionOptions = { address: config.TEMPORAL_ADDRESS };
  const mtls = config.TEMPORAL_TLS_CERT && config.TEMPORAL_TLS_KEY;
  if (mtls || config.TEMPORAL_TLS_CA || config.TEMPORAL_API_KEY) {
    options.tls = {
      ...(config.TEMPORAL_TLS_SERVER_NAME && { serverNameOverride: config.TEMPORAL_TLS_SERVER_NAME }),
      ...(config.TEMPORAL_TLS_CA && { serverRootCACertificate: readFileSync(config.TEMPORAL_TLS_CA) }),
      ...(mtls && {
        clientCertPair: { crt: readFileSync(config.TEMPORAL_TLS_CERT!), key: readFileSync(config.TEMPORAL_TLS_KEY!) },
      }),
    };
  }
  if (config.TEMPORAL_API_KEY) options.apiKey = config.TEMPORAL_API_KEY;
  return options;
}

export async function connectClient(config: Config): Promise<Client> {
  const connection = await Connection.connect({ ...connectionOptions(config), connectTimeout: 5000 });
  return new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });
}
