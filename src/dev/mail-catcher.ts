/**
 * The dev mail catcher `npm start` runs: an SMTP server on loopback that accepts every message and
 * keeps it as an .eml file in the outbox directory (open them with any mail client, or the
 * dashboard's Mail page). Not for production: SMTP_URL points the worker at a real server.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { SMTPServer } from 'smtp-server';

export interface MailCatcher {
  port: number;
  url: string;
  close(): Promise<void>;
}

export async function startMailCatcher(outboxDir: string, port: number): Promise<MailCatcher> {
  await fs.mkdir(outboxDir, { recursive: true, mode: 0o700 }); // owner-only: the mail names people
  let seq = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}-${++seq}.eml`;
        const tmp = path.join(outboxDir, `.${name}.tmp`);
        fs.writeFile(tmp, Buffer.concat(chunks), { mode: 0o600 })
          .then(() => fs.rename(tmp, path.join(outboxDir, name)))
          .then(() => callback(), callback);
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  // A sender that dies mid-conversation resets its connection: smtp-server reports it as an error
  // event, which must not end `npm start`.
  server.on('error', () => undefined);
  const address = server.server.address();
  const actual = typeof address === 'object' && address ? address.port : port;
  return {
    port: actual,
    url: `smtp://127.0.0.1:${actual}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
