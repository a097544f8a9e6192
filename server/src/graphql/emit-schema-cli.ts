import fs from 'node:fs';
import path from 'node:path';
import { schemaSdl } from './schema';

/** Writes server/schema.graphql from the code. */
schemaSdl()
  .then((sdl) => {
    const file = path.join(__dirname, '..', '..', 'schema.graphql');
    fs.writeFileSync(file, sdl);
    console.log(`Wrote ${file}`);
  })
  .catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
