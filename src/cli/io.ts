/** What a command reads and writes through (the terminal, or a test's buffers). */
export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  readStdin: () => string;
  now: () => number;
}
