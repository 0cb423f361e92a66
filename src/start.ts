/**
 * `npm start`: the main job on embedded defaults. Starts the Temporal dev server on a SQLite file
 * under the data directory (UI on), then waits for Ctrl-C and stops everything cleanly.
 */
import path from 'node:path';
import { startDevServer } from './temporal/dev-server';

async function main(): Promise<void> {
  const dataDir = process.env.EPA_DATA_DIR ?? path.resolve('.data');
  const server = await startDevServer({
    dbFile: path.join(dataDir, 'temporal.db'),
    port: Number(process.env.EPA_TEMPORAL_PORT ?? 7233),
    ui: true,
    uiPort: Number(process.env.EPA_TEMPORAL_UI_PORT ?? 8233),
  });
  console.log(`Temporal dev server: ${server.address} (data: ${dataDir})`);
  console.log(`Temporal UI:         ${server.uiUrl}`);
  console.log('Press Ctrl-C to stop.');
  const stop = async (): Promise<void> => {
    console.log('stopping…');
    await server.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
  await server.exited;
}

void main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
