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
  /**
   * Hold the reply to the next message's DATA (the sender waits for the 250); resolves when one is
   * held. `release(false)` drops it unaccepted, `release(true)` accepts it.
   */
  holdNext(): Promise<{ release(accept: boolean): void }>;
  /** Hold the reply to every message from now on, until `releaseAll`. */
  holdAll(): void;
  /** Answer every held message (accept, or drop unaccepted) and stop holding. Returns how many were held. */
  releaseAll(accept: boolean): number;
  /** Answer RCPT TO for these addresses with 550. */
  rejectRecipients: Set<string>;
  /** Answer RCPT TO for these addresses with 451 (try again later). */
  deferRecipients: Set<string>;
  /** Wait this long before every 250 (a slow mail server). */
  delayMs: number;
  /** Most messages being received at once so far (concurrent DATA phases). */
  maxConcurrent: number;
  close(): Promise<void>;
}

export async function startSmtp(port = 0): Promise<TestSmtp> {
  let failures: { left: number; code: number; message: string } | undefined;
  let hold: ((held: { release(accept: boolean): void }) => void) | undefined;
  const closed = new Set<string>();
  let holdingAll = false;
  let receiving = 0;
  const heldAll: ((accept: boolean) => void)[] = [];
  const state: TestSmtp = {
    port: 0,
    url: '',
    received: [],
    refused: 0,
    rejectRecipients: new Set(),
    deferRecipients: new Set(),
    delayMs: 0,
    maxConcurrent: 0,
    failNext(count, code, message) {
      failures = { left: count, code, message };
    },
    holdAll() {
      holdingAll = true;
    },
    releaseAll(accept) {
      holdingAll = false;
      const held = heldAll.splice(0);
      for (const release of held) release(accept);
      return held.length;
    },
    holdNext() {
      return new Promise((resolve) => {
        hold = resolve;
      });
    },
    close: async () => {},
  };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onClose(session) {
      closed.add(session.id);
    },
    onRcptTo(address, _session, callback) {
      if (state.rejectRecipients.has(address.address)) {
        const err = Object.assign(new Error(`5.1.1 <${address.address}>: No such user here`), { responseCode: 550 });
        return callback(err);
      }
      if (state.deferRecipients.has(address.address)) {
        return callback(
          Object.assign(new Error(`4.2.1 <${address.address}>: Mailbox busy, try again later`), { responseCode: 451 }),
        );
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      receiving += 1;
      state.maxConcurrent = Math.max(state.maxConcurrent, receiving);
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on(
        'end',
        () =>
          void (state.delayMs > 0 ? new Promise((r) => setTimeout(r, state.delayMs)) : Promise.resolve()).then(() => {
            receiving -= 1;
            if (failures && failures.left > 0) {
              failures.left -= 1;
              state.refused += 1;
              return callback(Object.assign(new Error(failures.message), { responseCode: failures.code }));
            }
            const raw = Buffer.concat(chunks).toString('utf8');
            const accept = () =>
              simpleParser(raw).then(
                (parsed) => {
                  // Counted only when the 250 goes out on a live connection: what the sender saw accepted.
                  // (A sender that died before the reply never learnt of it: RFC 1047's duplicate window.)
                  if (closed.has(session.id)) return callback(new Error('connection closed'));
                  const to = session.envelope.rcptTo.map((r) => r.address); // before the reply resets the envelope
                  callback();
                  state.received.push({ raw, parsed, to });
                },
                (err: Error) => callback(err),
              );
            if (holdingAll) {
              heldAll.push((ok) => {
                if (ok) void accept();
                else callback(Object.assign(new Error('dropped'), { responseCode: 451 }));
              });
              return;
            }
            if (hold) {
              const notify = hold;
              hold = undefined;
              notify({
                release: (ok) => {
                  if (ok) void accept();
                  else callback(Object.assign(new Error('dropped'), { responseCode: 451 }));
                },
              });
              return;
            }
            void accept();
          }),
      );
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  // A sender that dies mid-conversation (a worker killed -9) resets its connection: the server
  // reports it as an error event, which must not end the test process.
  server.on('error', () => undefined);
  const address = server.server.address();
  state.port = typeof address === 'object' && address ? address.port : 0;
  state.url = `smtp://127.0.0.1:${state.port}`;
  state.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return state;
}
