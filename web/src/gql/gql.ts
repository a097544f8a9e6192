/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query ApiKeysOrganization {\n    viewer {\n      id\n      organizations {\n        ...OrganizationSummary\n        spaces {\n          id\n          name\n          logoUrl\n          viewerCanCreateApiKeys\n        }\n      }\n    }\n  }\n": typeof types.ApiKeysOrganizationDocument,
    "\n  fragment ApiKeyRow on ApiKey {\n    id\n    name\n    maskedKey\n    createdAt\n    lastUsedAt\n    viewerCanRemove\n    space {\n      id\n      name\n      logoUrl\n    }\n    owner {\n      id\n      name\n      avatarUrl\n    }\n  }\n": typeof types.ApiKeyRowFragmentDoc,
    "\n  query ApiKeys($organizationId: ID!, $spaceId: ID, $search: String, $page: Int!, $pageSize: Int!) {\n    apiKeys(organizationId: $organizationId, spaceId: $spaceId, search: $search, page: $page, pageSize: $pageSize) {\n      items {\n        ...ApiKeyRow\n      }\n      totalCount\n      totalCountIsCapped\n      page\n      pageSize\n      pageCount\n    }\n  }\n": typeof types.ApiKeysDocument,
    "\n  query ApiKeyDetails($id: ID!) {\n    apiKey(id: $id) {\n      ...ApiKeyRow\n      usage {\n        totalRequests\n        last30Days {\n          date\n          requests\n        }\n      }\n    }\n  }\n": typeof types.ApiKeyDetailsDocument,
    "\n  mutation CreateApiKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) {\n      secret\n      apiKey {\n        ...ApiKeyRow\n      }\n    }\n  }\n": typeof types.CreateApiKeyDocument,
    "\n  mutation RemoveApiKey($id: ID!) {\n    removeApiKey(id: $id) {\n      id\n      removedAt\n    }\n  }\n": typeof types.RemoveApiKeyDocument,
    "\n  mutation RenameApiKey($input: RenameApiKeyInput!) {\n    renameApiKey(input: $input) {\n      ...ApiKeyRow\n    }\n  }\n": typeof types.RenameApiKeyDocument,
    "\n  mutation Login($email: String!, $password: String!) {\n    login(email: $email, password: $password) {\n      expiresAt\n      user {\n        id\n        name\n        email\n      }\n    }\n  }\n": typeof types.LoginDocument,
    "\n  mutation Logout {\n    logout\n  }\n": typeof types.LogoutDocument,
    "\n  query LeakRevocations($organizationId: ID!) {\n    leakRevocations(organizationId: $organizationId) {\n      id\n      keyId\n      keyName\n      maskedKey\n      url\n      source\n      revokedAt\n    }\n  }\n": typeof types.LeakRevocationsDocument,
    "\n  fragment OrganizationSummary on Organization {\n    id\n    name\n    viewerRole\n    subscription {\n      plan\n      status\n      currentPeriodEnd\n    }\n  }\n": typeof types.OrganizationSummaryFragmentDoc,
    "\n  query Viewer {\n    viewer {\n      id\n      name\n      email\n      avatarUrl\n      organizations {\n        ...OrganizationSummary\n      }\n    }\n  }\n": typeof types.ViewerDocument,
};
const documents: Documents = {
    "\n  query ApiKeysOrganization {\n    viewer {\n      id\n      organizations {\n        ...OrganizationSummary\n        spaces {\n          id\n          name\n          logoUrl\n          viewerCanCreateApiKeys\n        }\n      }\n    }\n  }\n": types.ApiKeysOrganizationDocument,
    "\n  fragment ApiKeyRow on ApiKey {\n    id\n    name\n    maskedKey\n    createdAt\n    lastUsedAt\n    viewerCanRemove\n    space {\n      id\n      name\n      logoUrl\n    }\n    owner {\n      id\n      name\n      avatarUrl\n    }\n  }\n": types.ApiKeyRowFragmentDoc,
    "\n  query ApiKeys($organizationId: ID!, $spaceId: ID, $search: String, $page: Int!, $pageSize: Int!) {\n    apiKeys(organizationId: $organizationId, spaceId: $spaceId, search: $search, page: $page, pageSize: $pageSize) {\n      items {\n        ...ApiKeyRow\n      }\n      totalCount\n      totalCountIsCapped\n      page\n      pageSize\n      pageCount\n    }\n  }\n": types.ApiKeysDocument,
    "\n  query ApiKeyDetails($id: ID!) {\n    apiKey(id: $id) {\n      ...ApiKeyRow\n      usage {\n        totalRequests\n        last30Days {\n          date\n          requests\n        }\n      }\n    }\n  }\n": types.ApiKeyDetailsDocument,
    "\n  mutation CreateApiKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) {\n      secret\n      apiKey {\n        ...ApiKeyRow\n      }\n    }\n  }\n": types.CreateApiKeyDocument,
    "\n  mutation RemoveApiKey($id: ID!) {\n    removeApiKey(id: $id) {\n      id\n      removedAt\n    }\n  }\n": types.RemoveApiKeyDocument,
    "\n  mutation RenameApiKey($input: RenameApiKeyInput!) {\n    renameApiKey(input: $input) {\n      ...ApiKeyRow\n    }\n  }\n": types.RenameApiKeyDocument,
    "\n  mutation Login($email: String!, $password: String!) {\n    login(email: $email, password: $password) {\n      expiresAt\n      user {\n        id\n        name\n        email\n      }\n    }\n  }\n": types.LoginDocument,
    "\n  mutation Logout {\n    logout\n  }\n": types.LogoutDocument,
    "\n  query LeakRevocations($organizationId: ID!) {\n    leakRevocations(organizationId: $organizationId) {\n      id\n      keyId\n      keyName\n      maskedKey\n      url\n      source\n      revokedAt\n    }\n  }\n": types.LeakRevocationsDocument,
    "\n  fragment OrganizationSummary on Organization {\n    id\n    name\n    viewerRole\n    subscription {\n      plan\n      status\n      currentPeriodEnd\n    }\n  }\n": types.OrganizationSummaryFragmentDoc,
    "\n  query Viewer {\n    viewer {\n      id\n      name\n      email\n      avatarUrl\n      organizations {\n        ...OrganizationSummary\n      }\n    }\n  }\n": types.ViewerDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ApiKeysOrganization {\n    viewer {\n      id\n      organizations {\n        ...OrganizationSummary\n        spaces {\n          id\n          name\n          logoUrl\n          viewerCanCreateApiKeys\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query ApiKeysOrganization {\n    viewer {\n      id\n      organizations {\n        ...OrganizationSummary\n        spaces {\n          id\n          name\n          logoUrl\n          viewerCanCreateApiKeys\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ApiKeyRow on ApiKey {\n    id\n    name\n    maskedKey\n    createdAt\n    lastUsedAt\n    viewerCanRemove\n    space {\n      id\n      name\n      logoUrl\n    }\n    owner {\n      id\n      name\n      avatarUrl\n    }\n  }\n"): (typeof documents)["\n  fragment ApiKeyRow on ApiKey {\n    id\n    name\n    maskedKey\n    createdAt\n    lastUsedAt\n    viewerCanRemove\n    space {\n      id\n      name\n      logoUrl\n    }\n    owner {\n      id\n      name\n      avatarUrl\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ApiKeys($organizationId: ID!, $spaceId: ID, $search: String, $page: Int!, $pageSize: Int!) {\n    apiKeys(organizationId: $organizationId, spaceId: $spaceId, search: $search, page: $page, pageSize: $pageSize) {\n      items {\n        ...ApiKeyRow\n      }\n      totalCount\n      totalCountIsCapped\n      page\n      pageSize\n      pageCount\n    }\n  }\n"): (typeof documents)["\n  query ApiKeys($organizationId: ID!, $spaceId: ID, $search: String, $page: Int!, $pageSize: Int!) {\n    apiKeys(organizationId: $organizationId, spaceId: $spaceId, search: $search, page: $page, pageSize: $pageSize) {\n      items {\n        ...ApiKeyRow\n      }\n      totalCount\n      totalCountIsCapped\n      page\n      pageSize\n      pageCount\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ApiKeyDetails($id: ID!) {\n    apiKey(id: $id) {\n      ...ApiKeyRow\n      usage {\n        totalRequests\n        last30Days {\n          date\n          requests\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query ApiKeyDetails($id: ID!) {\n    apiKey(id: $id) {\n      ...ApiKeyRow\n      usage {\n        totalRequests\n        last30Days {\n          date\n          requests\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateApiKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) {\n      secret\n      apiKey {\n        ...ApiKeyRow\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation CreateApiKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) {\n      secret\n      apiKey {\n        ...ApiKeyRow\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RemoveApiKey($id: ID!) {\n    removeApiKey(id: $id) {\n      id\n      removedAt\n    }\n  }\n"): (typeof documents)["\n  mutation RemoveApiKey($id: ID!) {\n    removeApiKey(id: $id) {\n      id\n      removedAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RenameApiKey($input: RenameApiKeyInput!) {\n    renameApiKey(input: $input) {\n      ...ApiKeyRow\n    }\n  }\n"): (typeof documents)["\n  mutation RenameApiKey($input: RenameApiKeyInput!) {\n    renameApiKey(input: $input) {\n      ...ApiKeyRow\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Login($email: String!, $password: String!) {\n    login(email: $email, password: $password) {\n      expiresAt\n      user {\n        id\n        name\n        email\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation Login($email: String!, $password: String!) {\n    login(email: $email, password: $password) {\n      expiresAt\n      user {\n        id\n        name\n        email\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Logout {\n    logout\n  }\n"): (typeof documents)["\n  mutation Logout {\n    logout\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query LeakRevocations($organizationId: ID!) {\n    leakRevocations(organizationId: $organizationId) {\n      id\n      keyId\n      keyName\n      maskedKey\n      url\n      source\n      revokedAt\n    }\n  }\n"): (typeof documents)["\n  query LeakRevocations($organizationId: ID!) {\n    leakRevocations(organizationId: $organizationId) {\n      id\n      keyId\n      keyName\n      maskedKey\n      url\n      source\n      revokedAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment OrganizationSummary on Organization {\n    id\n    name\n    viewerRole\n    subscription {\n      plan\n      status\n      currentPeriodEnd\n    }\n  }\n"): (typeof documents)["\n  fragment OrganizationSummary on Organization {\n    id\n    name\n    viewerRole\n    subscription {\n      plan\n      status\n      currentPeriodEnd\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Viewer {\n    viewer {\n      id\n      name\n      email\n      avatarUrl\n      organizations {\n        ...OrganizationSummary\n      }\n    }\n  }\n"): (typeof documents)["\n  query Viewer {\n    viewer {\n      id\n      name\n      email\n      avatarUrl\n      organizations {\n        ...OrganizationSummary\n      }\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;