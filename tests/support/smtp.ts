/** A real SMTP server on loopback (smtp-server) that keeps what it accepts, parsed back with mailparser. */
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  raw: string;
  parsed: ParsedMail;
  to: string[];
}

export interface TestSmtp {
  port: number;
  url: string;
  received: ReceivedMail[];
  /** How many DATA commands were refused so far. */
  refused: number;
  /** Refuse the next N messages with this reply (e.g. 421 twice). */
  failNext(count: number, code: number, message: string): void;
  /** Answer RCPT TO for these addresses with 550. */
  rejectRecipients: Set<string>;
  close(): Promise<void>;
}

export async function startSmtp(): Promise<TestSmtp> {
  let failures: { left: number; code: number; message: string } | undefined;
  const state: TestSmtp = {
    port: 0,
    url: '',
    received: [],
    refused: 0,
    rejectRecipients: new Set(),
    failNext(count, code, message) {
      failures = { left: count, code, message };
    },
    close: async () => {},
  };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (state.rejectRecipients.has(address.address)) {
        const err = Object.assign(new Error('5.1.1 No such user here'), { responseCode: 550 });
        return callback(err);
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (failures && failures.left > 0) {
          failures.left -= 1;
          state.refused += 1;
          return callback(Object.assign(new Error(failures.message), { responseCode: failures.code }));
        }
        const raw = Buffer.concat(chunks).toString('utf8');
        simpleParser(raw).then(
          (parsed) => {
            state.received.push({ raw, parsed, to: session.envelope.rcptTo.map((r) => r.address) });
            callback();
          },
          (err: Error) => callback(err),
        );
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.server.address();
  state.port = typeof address === 'object' && address ? address.port : 0;
  state.url = `smtp://127.0.0.1:${state.port}`;
  state.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return state;
}
