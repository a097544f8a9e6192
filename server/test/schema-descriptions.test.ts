import fs from 'node:fs';
import path from 'node:path';
import {
  buildSchema,
  isInputObjectType,
  isInterfaceType,
  isIntrospectionType,
  isObjectType,
  isSpecifiedScalarType,
  type GraphQLSchema,
} from 'graphql';
import { schemaSdl } from '../src/graphql/schema';

/** Every type, field, argument and input field of the schema that has no description (an enum's description names its values). */
function undescribed(schema: GraphQLSchema): string[] {
  const missing: string[] = [];
  const check = (where: string, description: string | null | undefined) => {
    if (!description?.trim()) missing.push(where);
  };
  for (const type of Object.values(schema.getTypeMap())) {
    if (isIntrospectionType(type) || isSpecifiedScalarType(type)) continue;
    // The root types are described by their fields.
    const isRoot = type === schema.getQueryType() || type === schema.getMutationType() || type === schema.getSubscriptionType();
    if (!isRoot) check(type.name, type.description);
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) {
        check(`${type.name}.${field.name}`, field.description);
        for (const arg of field.args) check(`${type.name}.${field.name}(${arg.name})`, arg.description);
      }
    } else if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) check(`${type.name}.${field.name}`, field.description);
    }
  }
  return missing;
}

describe('descriptions', () => {
  it('exist for every type, field, argument and input field of server/schema.graphql', () => {
    const published = buildSchema(fs.readFileSync(path.join(__dirname, '..', 'schema.graphql'), 'utf8'));
    expect(undescribed(published)).toEqual([]);
  });

  it('are found missing when one is left out', async () => {
    const schema = buildSchema(await schemaSdl());
    const apiKey = schema.getQueryType()!.getFields().apiKey!;
    apiKey.description = undefined;
    apiKey.args[0]!.description = '  ';
    expect(undescribed(schema)).toEqual(['Query.apiKey', 'Query.apiKey(id)']);
  });
});
