/** The project's root folder (where package.json is), from source (jest) or from dist/ alike. */
import { existsSync } from 'node:fs';
import path from 'node:path';

export function projectRoot(from: string = __dirname): string {
  let dir = from;
  while (!existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`no package.json above ${from}`);
    dir = up;
  }
  return dir;
}
