/** Connection settings for clients and workers, from the configuration (TLS / API key for a cluster or Temporal Cloud). */
import { readFileSync } from 'node:fs';
import { Client, Connection, type ConnectionOptions } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import type { Config } from '../config';
import { payloadCodecs } from './payload-codec';

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

/** Payloads encrypted with EPA_PAYLOAD_KEYS when set (payload-codec.ts). */
export function dataConverter(config: Pick<Config, 'EPA_PAYLOAD_KEYS'>): DataConverter {
  return { payloadCodecs: payloadCodecs(config.EPA_PAYLOAD_KEYS) };
}

export async function connectClient(config: Config): Promise<Client> {
  const connection = await Connection.connect({ ...connectionOptions(config), connectTimeout: 5000 });
  return new Client({ connection, namespace: config.TEMPORAL_NAMESPACE, dataConverter: dataConverter(config) });
}

/** An EPA's workflow in the Temporal UI (for engineers: one link away from the staff pages). */
export function temporalWorkflowUrl(config: Pick<Config, 'TEMPORAL_UI_URL' | 'TEMPORAL_NAMESPACE'>, epaId: string): string {
  return `${config.TEMPORAL_UI_URL}/namespaces/${encodeURIComponent(config.TEMPORAL_NAMESPACE)}/workflows/${encodeURIComponent(epaId)}`;
}
