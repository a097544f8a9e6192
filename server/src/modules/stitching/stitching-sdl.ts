import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { specifiedDirectives, type GraphQLDirective, type GraphQLSchema } from 'graphql';
import { stitchingDirectives } from '@graphql-tools/stitching-directives';

const { keyDirective, mergeDirective, canonicalDirective } = stitchingDirectives();

/**
 * The directives of `@graphql-tools/stitching-directives` this schema uses: `@key` on the types
 * another service may extend, `@merge` on the batch look-ups, `@canonical` on the types this
 * service owns. Their definitions are part of the SDL, so a gateway can build it as it is.
 */
export const schemaDirectives: readonly GraphQLDirective[] = [...specifiedDirectives, keyDirective, mergeDirective, canonicalDirective];

const printed = new WeakMap<GraphQLSchema, string>();

/** The SDL with its directives: what `_sdl` answers and what `server/schema.graphql` holds. */
export function printStitchingSdl(schema: GraphQLSchema): string {
  let sdl = printed.get(schema);
  if (sdl === undefined) {
    sdl = `${printSchemaWithDirectives(schema)}\n`;
    printed.set(schema, sdl);
  }
  return sdl;
}
