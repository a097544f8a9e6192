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
    "\n  query ApiKeysOrganization {\n    viewer {\n      id\n      organizations {\n        ...OrganizationSummary\n        maxKeyLifetimeDays\n        keyLimits {\n          ...OrganizationKeyLimitsFields\n        }\n        spaces {\n          id\n          name\n          logoUrl\n          viewerCanCreateApiKeys\n        }\n      }\n    }\n  }\n": typeof types.ApiKeysOrganizationDocument,
    "\n  fragment ApiKeyRow on ApiKey {\n    id\n    name\n    maskedKey\n    createdAt\n    lastUsedAt\n    expiresAt\n    status\n    viewerCanRemove\n    budget {\n      limitMicros\n    }\n    effectiveBudget {\n      ...KeyBudgetBar\n    }\n    space {\n      id\n      name\n      logoUrl\n    }\n    owner {\n      id\n      name\n      avatarUrl\n    }\n  }\n": typeof types.ApiKeyRowFragmentDoc,
    "\n  query ApiKeys($organizationId: ID!, $spaceId: ID, $search: String, $status: ApiKeyStatus, $page: Int!, $pageSize: Int!) {\n    apiKeys(organizationId: $organizationId, spaceId: $spaceId, search: $search, status: $status, page: $page, pageSize: $pageSize) {\n      items {\n        ...ApiKeyRow\n      }\n      totalCount\n      totalCountIsCapped\n      page\n      pageSize\n      pageCount\n    }\n  }\n": typeof types.ApiKeysDocument,
    "\n  query ApiKeyDetails($id: ID!) {\n    apiKey(id: $id) {\n      ...ApiKeyRow\n      disabledAt\n      rolledAt\n      previousSecretExpiresAt\n      allowedCidrs\n      ...KeySpending\n      space {\n        id\n        organizationId\n      }\n      usage {\n        totalRequests\n        last30Days {\n          date\n          requests\n        }\n      }\n    }\n  }\n": typeof types.ApiKeyDetailsDocument,
    "\n  mutation CreateApiKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) {\n      secret\n      apiKey {\n        ...ApiKeyRow\n      }\n    }\n  }\n": typeof types.CreateApiKeyDocument,
    "\n  query KeyActivity($organizationId: ID!, $keyId: ID!, $pageSize: Int!) {\n    auditEvents(organizationId: $organizationId, keyId: $keyId, page: 1, pageSize: $pageSize) {\n      items {\n        id\n        action\n        createdAt\n        clientAddress\n        actor {\n          kind\n          reason\n          user {\n            id\n            name\n          }\n        }\n        changes {\n          field\n          before\n          after\n        }\n      }\n      totalCount\n    }\n  }\n": typeof types.KeyActivityDocument,
    "\n  mutation RemoveApiKey($id: ID!) {\n    removeApiKey(id: $id) {\n      id\n      removedAt\n    }\n  }\n": typeof types.RemoveApiKeyDocument,
    "\n  mutation RenameApiKey($input: RenameApiKeyInput!) {\n    renameApiKey(input: $input) {\n      ...ApiKeyRow\n    }\n  }\n": typeof types.RenameApiKeyDocument,
    "\n  mutation RollApiKey($input: RollApiKeyInput!) {\n    rollApiKey(input: $input) {\n      secret\n      apiKey {\n        ...ApiKeyRow\n        rolledAt\n        previousSecretExpiresAt\n      }\n    }\n  }\n": typeof types.RollApiKeyDocument,
    "\n  mutation SetApiKeyAllowedCidrs($input: SetApiKeyAllowedCidrsInput!) {\n    setApiKeyAllowedCidrs(input: $input) {\n      id\n      allowedCidrs\n    }\n  }\n": typeof types.SetApiKeyAllowedCidrsDocument,
    "\n  mutation DisableApiKey($id: ID!) {\n    disableApiKey(id: $id) {\n      ...ApiKeyRow\n      disabledAt\n    }\n  }\n": typeof types.DisableApiKeyDocument,
    "\n  mutation EnableApiKey($id: ID!) {\n    enableApiKey(id: $id) {\n      ...ApiKeyRow\n      disabledAt\n    }\n  }\n": typeof types.EnableApiKeyDocument,
    "\n  mutation SetMaxKeyLifetime($input: SetMaxKeyLifetimeInput!) {\n    setMaxKeyLifetime(input: $input) {\n      id\n      maxKeyLifetimeDays\n    }\n  }\n": typeof types.SetMaxKeyLifetimeDocument,
    "\n  fragment KeyBudgetBar on KeyBudget {\n    limitMicros\n    period\n    warnAtPercent\n    spentMicros\n    reservedMicros\n  }\n": typeof types.KeyBudgetBarFragmentDoc,
    "\n  fragment KeySpending on ApiKey {\n    id\n    allowedModels\n    tokensPerMinute\n    budget {\n      limitMicros\n      period\n      warnAtPercent\n    }\n    effectiveBudget {\n      ...KeyBudgetBar\n      remainingMicros\n      windowStartsAt\n      windowEndsAt\n    }\n  }\n": typeof types.KeySpendingFragmentDoc,
    "\n  mutation SetApiKeyBudget($input: SetApiKeyBudgetInput!) {\n    setApiKeyBudget(input: $input) {\n      ...KeySpending\n    }\n  }\n": typeof types.SetApiKeyBudgetDocument,
    "\n  mutation SetApiKeyAllowedModels($input: SetApiKeyAllowedModelsInput!) {\n    setApiKeyAllowedModels(input: $input) {\n      id\n      allowedModels\n    }\n  }\n": typeof types.SetApiKeyAllowedModelsDocument,
    "\n  mutation SetApiKeyTokensPerMinute($input: SetApiKeyTokensPerMinuteInput!) {\n    setApiKeyTokensPerMinute(input: $input) {\n      id\n      tokensPerMinute\n    }\n  }\n": typeof types.SetApiKeyTokensPerMinuteDocument,
    "\n  query KeyUsage($id: ID!, $range: UsageRangeInput!) {\n    apiKey(id: $id) {\n      id\n      byDay: usage(range: $range, groupBy: DAY) {\n        from\n        to\n        groups {\n          ...UsageGroup\n        }\n        totals {\n          ...UsageGroup\n        }\n      }\n      byModel: usage(range: $range, groupBy: MODEL) {\n        from\n        to\n        groups {\n          ...UsageGroup\n        }\n      }\n    }\n  }\n": typeof types.KeyUsageDocument,
    "\n  fragment UsageGroup on ApiKeyUsageGroup {\n    key\n    requests\n    inputTokens\n    outputTokens\n    costMicros\n    latencyP50Ms\n    latencyP95Ms\n  }\n": typeof types.UsageGroupFragmentDoc,
    "\n  query AuditAccess {\n    viewer {\n      id\n      organizations {\n        id\n        viewerRole\n        spaces {\n          id\n          viewerRole\n        }\n      }\n    }\n  }\n": typeof types.AuditAccessDocument,
    "\n  fragment AuditEventFields on AuditEvent {\n    id\n    action\n    createdAt\n    spaceId\n    clientAddress\n    userAgent\n    actor {\n      kind\n      reason\n      user {\n        id\n        name\n        email\n      }\n    }\n    apiKey {\n      id\n      name\n      maskedKey\n    }\n    changes {\n      field\n      before\n      after\n    }\n    details {\n      name\n      value\n    }\n  }\n": typeof types.AuditEventFieldsFragmentDoc,
    "\n  query AuditEvents($organizationId: ID!, $keyId: ID, $action: AuditAction, $page: Int!, $pageSize: Int!) {\n    auditEvents(organizationId: $organizationId, keyId: $keyId, action: $action, page: $page, pageSize: $pageSize) {\n      items {\n        ...AuditEventFields\n      }\n      totalCount\n      page\n      pageSize\n      pageCount\n    }\n  }\n": typeof types.AuditEventsDocument,
    "\n  query AuditOrganization($id: ID!) {\n    organization(id: $id) {\n      id\n      name\n      spaces {\n        id\n        name\n      }\n    }\n  }\n": typeof types.AuditOrganizationDocument,
    "\n  mutation Login($email: String!, $password: String!) {\n    login(email: $email, password: $password) {\n      expiresAt\n      user {\n        id\n        name\n        email\n      }\n    }\n  }\n": typeof types.LoginDocument,
    "\n  mutation Logout {\n    logout\n  }\n": typeof types.LogoutDocument,
    "\n  query LeakRevocations($organizationId: ID!) {\n    leakRevocations(organizationId: $organizationId) {\n      id\n      keyId\n      keyName\n      maskedKey\n      url\n      source\n      revokedAt\n    }\n  }\n": typeof types.LeakRevocationsDocument,
    "\n  fragment OrganizationSummary on Organization {\n    id\n    name\n    viewerRole\n    subscription {\n      plan\n      status\n      currentPeriodEnd\n    }\n  }\n": typeof types.OrganizationSummaryFragmentDoc,
    "\n  query Viewer {\n    viewer {\n      id\n      name\n      email\n      avatarUrl\n      organizations {\n        ...OrganizationSummary\n      }\n    }\n  }\n": typeof types.ViewerDocument,
    "\n  query SpendRanking($organizationId: ID!, $range: UsageRangeInput!, $first: Int!) {\n    apiKeySpendRanking(organizationId: $organizationId, range: $range, first: $first) {\n      keyId\n      name\n      maskedKey\n      spaceId\n      removed\n      costMicros\n      requests\n      inputTokens\n      outputTokens\n    }\n    organization(id: $organizationId) {\n      id\n      name\n      viewerRole\n      spaces {\n        id\n        name\n      }\n      keyLimits {\n        ...OrganizationKeyLimitsFields\n      }\n    }\n  }\n": typeof types.SpendRankingDocument,
    "\n  fragment OrganizationKeyLimitsFields on OrganizationKeyLimits {\n    maxBudgetMicros\n    allowedModels\n    maxTokensPerMinute\n  }\n": typeof types.OrganizationKeyLimitsFieldsFragmentDoc,
    "\n  mutation SetOrganizationKeyLimits($input: SetOrganizationKeyLimitsInput!) {\n    setOrganizationKeyLimits(input: $input) {\n      id\n      keyLimits {\n        ...OrganizationKeyLimitsFields\n      }\n    }\n  }\n": typeof types.SetOrganizationKeyLimitsDocument,
};
const documents: Documents = {
    "\n  query ApiKeysOrganization {\n    viewer {\n      id\n      organizations {\n        ...OrganizationSummary\n        maxKeyLifetimeDays\n        keyLimits {\n          ...OrganizationKeyLimitsFields\n        }\n        spaces {\n          id\n          name\n          logoUrl\n          viewerCanCreateApiKeys\n        }\n      }\n    }\n  }\n": types.ApiKeysOrganizationDocument,
    "\n  fragment ApiKeyRow on ApiKey {\n    id\n    name\n    maskedKey\n    createdAt\n    lastUsedAt\n    expiresAt\n    status\n    viewerCanRemove\n    budget {\n      limitMicros\n    }\n    effectiveBudget {\n      ...KeyBudgetBar\n    }\n    space {\n      id\n      name\n      logoUrl\n    }\n    owner {\n      id\n      name\n      avatarUrl\n    }\n  }\n": types.ApiKeyRowFragmentDoc,
    "\n  query ApiKeys($organizationId: ID!, $spaceId: ID, $search: String, $status: ApiKeyStatus, $page: Int!, $pageSize: Int!) {\n    apiKeys(organizationId: $organizationId, spaceId: $spaceId, search: $search, status: $status, page: $page, pageSize: $pageSize) {\n      items {\n        ...ApiKeyRow\n      }\n      totalCount\n      totalCountIsCapped\n      page\n      pageSize\n      pageCount\n    }\n  }\n": types.ApiKeysDocument,
    "\n  query ApiKeyDetails($id: ID!) {\n    apiKey(id: $id) {\n      ...ApiKeyRow\n      disabledAt\n      rolledAt\n      previousSecretExpiresAt\n      allowedCidrs\n      ...KeySpending\n      space {\n        id\n        organizationId\n      }\n      usage {\n        totalRequests\n        last30Days {\n          date\n          requests\n        }\n      }\n    }\n  }\n": types.ApiKeyDetailsDocument,
    "\n  mutation CreateApiKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) {\n      secret\n      apiKey {\n        ...ApiKeyRow\n      }\n    }\n  }\n": types.CreateApiKeyDocument,
    "\n  query KeyActivity($organizationId: ID!, $keyId: ID!, $pageSize: Int!) {\n    auditEvents(organizationId: $organizationId, keyId: $keyId, page: 1, pageSize: $pageSize) {\n      items {\n        id\n        action\n        createdAt\n        clientAddress\n        actor {\n          kind\n          reason\n          user {\n            id\n            name\n          }\n        }\n        changes {\n          field\n          before\n          after\n        }\n      }\n      totalCount\n    }\n  }\n": types.KeyActivityDocument,
    "\n  mutation RemoveApiKey($id: ID!) {\n    removeApiKey(id: $id) {\n      id\n      removedAt\n    }\n  }\n": types.RemoveApiKeyDocument,
    "\n  mutation RenameApiKey($input: RenameApiKeyInput!) {\n    renameApiKey(input: $input) {\n      ...ApiKeyRow\n    }\n  }\n": types.RenameApiKeyDocument,
    "\n  mutation RollApiKey($input: RollApiKeyInput!) {\n    rollApiKey(input: $input) {\n      secret\n      apiKey {\n        ...ApiKeyRow\n        rolledAt\n        previousSecretExpiresAt\n      }\n    }\n  }\n": types.RollApiKeyDocument,
    "\n  mutation SetApiKeyAllowedCidrs($input: SetApiKeyAllowedCidrsInput!) {\n    setApiKeyAllowedCidrs(input: $input) {\n      id\n      allowedCidrs\n    }\n  }\n": types.SetApiKeyAllowedCidrsDocument,
    "\n  mutation DisableApiKey($id: ID!) {\n    disableApiKey(id: $id) {\n      ...ApiKeyRow\n      disabledAt\n    }\n  }\n": types.DisableApiKeyDocument,
    "\n  mutation EnableApiKey($id: ID!) {\n    enableApiKey(id: $id) {\n      ...ApiKeyRow\n      disabledAt\n    }\n  }\n": types.EnableApiKeyDocument,
    "\n  mutation SetMaxKeyLifetime($input: SetMaxKeyLifetimeInput!) {\n    setMaxKeyLifetime(input: $input) {\n      id\n      maxKeyLifetimeDays\n    }\n  }\n": types.SetMaxKeyLifetimeDocument,
    "\n  fragment KeyBudgetBar on KeyBudget {\n    limitMicros\n    period\n    warnAtPercent\n    spentMicros\n    reservedMicros\n  }\n": types.KeyBudgetBarFragmentDoc,
    "\n  fragment KeySpending on ApiKey {\n    id\n    allowedModels\n    tokensPerMinute\n    budget {\n      limitMicros\n      period\n      warnAtPercent\n    }\n    effectiveBudget {\n      ...KeyBudgetBar\n      remainingMicros\n      windowStartsAt\n      windowEndsAt\n    }\n  }\n": types.KeySpendingFragmentDoc,
    "\n  mutation SetApiKeyBudget($input: SetApiKeyBudgetInput!) {\n    setApiKeyBudget(input: $input) {\n      ...KeySpending\n    }\n  }\n": types.SetApiKeyBudgetDocument,
    "\n  mutation SetApiKeyAllowedModels($input: SetApiKeyAllowedModelsInput!) {\n    setApiKeyAllowedModels(input: $input) {\n      id\n      allowedModels\n    }\n  }\n": types.SetApiKeyAllowedModelsDocument,
    "\n  mutation SetApiKeyTokensPerMinute($input: SetApiKeyTokensPerMinuteInput!) {\n    setApiKeyTokensPerMinute(input: $input) {\n      id\n      tokensPerMinute\n    }\n  }\n": types.SetApiKeyTokensPerMinuteDocument,
    "\n  query KeyUsage($id: ID!, $range: UsageRangeInput!) {\n    apiKey(id: $id) {\n      id\n      byDay: usage(range: $range, groupBy: DAY) {\n        from\n        to\n        groups {\n          ...UsageGroup\n        }\n        totals {\n          ...UsageGroup\n        }\n      }\n      byModel: usage(range: $range, groupBy: MODEL) {\n        from\n        to\n        groups {\n          ...UsageGroup\n        }\n      }\n    }\n  }\n": types.KeyUsageDocument,
    "\n  fragment UsageGroup on ApiKeyUsageGroup {\n    key\n    requests\n    inputTokens\n    outputTokens\n    costMicros\n    latencyP50Ms\n    latencyP95Ms\n  }\n": types.UsageGroupFragmentDoc,
    "\n  query AuditAccess {\n    viewer {\n      id\n      organizations {\n        id\n        viewerRole\n        spaces {\n          id\n          viewerRole\n        }\n      }\n    }\n  }\n": types.AuditAccessDocument,
    "\n  fragment AuditEventFields on AuditEvent {\n    id\n    action\n    createdAt\n    spaceId\n    clientAddress\n    userAgent\n    actor {\n      kind\n      reason\n      user {\n        id\n        name\n        email\n      }\n    }\n    apiKey {\n      id\n      name\n      maskedKey\n    }\n    changes {\n      field\n      before\n      after\n    }\n    details {\n      name\n      value\n    }\n  }\n": types.AuditEventFieldsFragmentDoc,
    "\n  query AuditEvents($organizationId: ID!, $keyId: ID, $action: AuditAction, $page: Int!, $pageSize: Int!) {\n    auditEvents(organizationId: $organizationId, keyId: $keyId, action: $action, page: $page, pageSize: $pageSize) {\n      items {\n        ...AuditEventFields\n      }\n      totalCount\n      page\n      pageSize\n      pageCount\n    }\n  }\n": types.AuditEventsDocument,
    "\n  query AuditOrganization($id: ID!) {\n    organization(id: $id) {\n      id\n      name\n      spaces {\n        id\n        name\n      }\n    }\n  }\n": types.AuditOrganizationDocument,
    "\n  mutation Login($email: String!, $password: String!) {\n    login(email: $email, password: $password) {\n      expiresAt\n      user {\n        id\n        name\n        email\n      }\n    }\n  }\n": types.LoginDocument,
    "\n  mutation Logout {\n    logout\n  }\n": types.LogoutDocument,
    "\n  query LeakRevocations($organizationId: ID!) {\n    leakRevocations(organizationId: $organizationId) {\n      id\n      keyId\n      keyName\n      maskedKey\n      url\n      source\n      revokedAt\n    }\n  }\n": types.LeakRevocationsDocument,
    "\n  fragment OrganizationSummary on Organization {\n    id\n    name\n    viewerRole\n    subscription {\n      plan\n      status\n      currentPeriodEnd\n    }\n  }\n": types.OrganizationSummaryFragmentDoc,
    "\n  query Viewer {\n    viewer {\n      id\n      name\n      email\n      avatarUrl\n      organizations {\n        ...OrganizationSummary\n      }\n    }\n  }\n": types.ViewerDocument,
    "\n  query SpendRanking($organizationId: ID!, $range: UsageRangeInput!, $first: Int!) {\n    apiKeySpendRanking(organizationId: $organizationId, range: $range, first: $first) {\n      keyId\n      name\n      maskedKey\n      spaceId\n      removed\n      costMicros\n      requests\n      inputTokens\n      outputTokens\n    }\n    organization(id: $organizationId) {\n      id\n      name\n      viewerRole\n      spaces {\n        id\n        name\n      }\n      keyLimits {\n        ...OrganizationKeyLimitsFields\n      }\n    }\n  }\n": types.SpendRankingDocument,
    "\n  fragment OrganizationKeyLimitsFields on OrganizationKeyLimits {\n    maxBudgetMicros\n    allowedModels\n    maxTokensPerMinute\n  }\n": types.OrganizationKeyLimitsFieldsFragmentDoc,
    "\n  mutation SetOrganizationKeyLimits($input: SetOrganizationKeyLimitsInput!) {\n    setOrganizationKeyLimits(input: $input) {\n      id\n      keyLimits {\n        ...OrganizationKeyLimitsFields\n      }\n    }\n  }\n": types.SetOrganizationKeyLimitsDocument,
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
export function graphql(source: "\n  query ApiKeysOrganization {\n    viewer {\n      id\n      organizations {\n        ...OrganizationSummary\n        maxKeyLifetimeDays\n        keyLimits {\n          ...OrganizationKeyLimitsFields\n        }\n        spaces {\n          id\n          name\n          logoUrl\n          viewerCanCreateApiKeys\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query ApiKeysOrganization {\n    viewer {\n      id\n      organizations {\n        ...OrganizationSummary\n        maxKeyLifetimeDays\n        keyLimits {\n          ...OrganizationKeyLimitsFields\n        }\n        spaces {\n          id\n          name\n          logoUrl\n          viewerCanCreateApiKeys\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ApiKeyRow on ApiKey {\n    id\n    name\n    maskedKey\n    createdAt\n    lastUsedAt\n    expiresAt\n    status\n    viewerCanRemove\n    budget {\n      limitMicros\n    }\n    effectiveBudget {\n      ...KeyBudgetBar\n    }\n    space {\n      id\n      name\n      logoUrl\n    }\n    owner {\n      id\n      name\n      avatarUrl\n    }\n  }\n"): (typeof documents)["\n  fragment ApiKeyRow on ApiKey {\n    id\n    name\n    maskedKey\n    createdAt\n    lastUsedAt\n    expiresAt\n    status\n    viewerCanRemove\n    budget {\n      limitMicros\n    }\n    effectiveBudget {\n      ...KeyBudgetBar\n    }\n    space {\n      id\n      name\n      logoUrl\n    }\n    owner {\n      id\n      name\n      avatarUrl\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ApiKeys($organizationId: ID!, $spaceId: ID, $search: String, $status: ApiKeyStatus, $page: Int!, $pageSize: Int!) {\n    apiKeys(organizationId: $organizationId, spaceId: $spaceId, search: $search, status: $status, page: $page, pageSize: $pageSize) {\n      items {\n        ...ApiKeyRow\n      }\n      totalCount\n      totalCountIsCapped\n      page\n      pageSize\n      pageCount\n    }\n  }\n"): (typeof documents)["\n  query ApiKeys($organizationId: ID!, $spaceId: ID, $search: String, $status: ApiKeyStatus, $page: Int!, $pageSize: Int!) {\n    apiKeys(organizationId: $organizationId, spaceId: $spaceId, search: $search, status: $status, page: $page, pageSize: $pageSize) {\n      items {\n        ...ApiKeyRow\n      }\n      totalCount\n      totalCountIsCapped\n      page\n      pageSize\n      pageCount\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ApiKeyDetails($id: ID!) {\n    apiKey(id: $id) {\n      ...ApiKeyRow\n      disabledAt\n      rolledAt\n      previousSecretExpiresAt\n      allowedCidrs\n      ...KeySpending\n      space {\n        id\n        organizationId\n      }\n      usage {\n        totalRequests\n        last30Days {\n          date\n          requests\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query ApiKeyDetails($id: ID!) {\n    apiKey(id: $id) {\n      ...ApiKeyRow\n      disabledAt\n      rolledAt\n      previousSecretExpiresAt\n      allowedCidrs\n      ...KeySpending\n      space {\n        id\n        organizationId\n      }\n      usage {\n        totalRequests\n        last30Days {\n          date\n          requests\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateApiKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) {\n      secret\n      apiKey {\n        ...ApiKeyRow\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation CreateApiKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) {\n      secret\n      apiKey {\n        ...ApiKeyRow\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query KeyActivity($organizationId: ID!, $keyId: ID!, $pageSize: Int!) {\n    auditEvents(organizationId: $organizationId, keyId: $keyId, page: 1, pageSize: $pageSize) {\n      items {\n        id\n        action\n        createdAt\n        clientAddress\n        actor {\n          kind\n          reason\n          user {\n            id\n            name\n          }\n        }\n        changes {\n          field\n          before\n          after\n        }\n      }\n      totalCount\n    }\n  }\n"): (typeof documents)["\n  query KeyActivity($organizationId: ID!, $keyId: ID!, $pageSize: Int!) {\n    auditEvents(organizationId: $organizationId, keyId: $keyId, page: 1, pageSize: $pageSize) {\n      items {\n        id\n        action\n        createdAt\n        clientAddress\n        actor {\n          kind\n          reason\n          user {\n            id\n            name\n          }\n        }\n        changes {\n          field\n          before\n          after\n        }\n      }\n      totalCount\n    }\n  }\n"];
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
export function graphql(source: "\n  mutation RollApiKey($input: RollApiKeyInput!) {\n    rollApiKey(input: $input) {\n      secret\n      apiKey {\n        ...ApiKeyRow\n        rolledAt\n        previousSecretExpiresAt\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation RollApiKey($input: RollApiKeyInput!) {\n    rollApiKey(input: $input) {\n      secret\n      apiKey {\n        ...ApiKeyRow\n        rolledAt\n        previousSecretExpiresAt\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetApiKeyAllowedCidrs($input: SetApiKeyAllowedCidrsInput!) {\n    setApiKeyAllowedCidrs(input: $input) {\n      id\n      allowedCidrs\n    }\n  }\n"): (typeof documents)["\n  mutation SetApiKeyAllowedCidrs($input: SetApiKeyAllowedCidrsInput!) {\n    setApiKeyAllowedCidrs(input: $input) {\n      id\n      allowedCidrs\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DisableApiKey($id: ID!) {\n    disableApiKey(id: $id) {\n      ...ApiKeyRow\n      disabledAt\n    }\n  }\n"): (typeof documents)["\n  mutation DisableApiKey($id: ID!) {\n    disableApiKey(id: $id) {\n      ...ApiKeyRow\n      disabledAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation EnableApiKey($id: ID!) {\n    enableApiKey(id: $id) {\n      ...ApiKeyRow\n      disabledAt\n    }\n  }\n"): (typeof documents)["\n  mutation EnableApiKey($id: ID!) {\n    enableApiKey(id: $id) {\n      ...ApiKeyRow\n      disabledAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetMaxKeyLifetime($input: SetMaxKeyLifetimeInput!) {\n    setMaxKeyLifetime(input: $input) {\n      id\n      maxKeyLifetimeDays\n    }\n  }\n"): (typeof documents)["\n  mutation SetMaxKeyLifetime($input: SetMaxKeyLifetimeInput!) {\n    setMaxKeyLifetime(input: $input) {\n      id\n      maxKeyLifetimeDays\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment KeyBudgetBar on KeyBudget {\n    limitMicros\n    period\n    warnAtPercent\n    spentMicros\n    reservedMicros\n  }\n"): (typeof documents)["\n  fragment KeyBudgetBar on KeyBudget {\n    limitMicros\n    period\n    warnAtPercent\n    spentMicros\n    reservedMicros\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment KeySpending on ApiKey {\n    id\n    allowedModels\n    tokensPerMinute\n    budget {\n      limitMicros\n      period\n      warnAtPercent\n    }\n    effectiveBudget {\n      ...KeyBudgetBar\n      remainingMicros\n      windowStartsAt\n      windowEndsAt\n    }\n  }\n"): (typeof documents)["\n  fragment KeySpending on ApiKey {\n    id\n    allowedModels\n    tokensPerMinute\n    budget {\n      limitMicros\n      period\n      warnAtPercent\n    }\n    effectiveBudget {\n      ...KeyBudgetBar\n      remainingMicros\n      windowStartsAt\n      windowEndsAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetApiKeyBudget($input: SetApiKeyBudgetInput!) {\n    setApiKeyBudget(input: $input) {\n      ...KeySpending\n    }\n  }\n"): (typeof documents)["\n  mutation SetApiKeyBudget($input: SetApiKeyBudgetInput!) {\n    setApiKeyBudget(input: $input) {\n      ...KeySpending\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetApiKeyAllowedModels($input: SetApiKeyAllowedModelsInput!) {\n    setApiKeyAllowedModels(input: $input) {\n      id\n      allowedModels\n    }\n  }\n"): (typeof documents)["\n  mutation SetApiKeyAllowedModels($input: SetApiKeyAllowedModelsInput!) {\n    setApiKeyAllowedModels(input: $input) {\n      id\n      allowedModels\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetApiKeyTokensPerMinute($input: SetApiKeyTokensPerMinuteInput!) {\n    setApiKeyTokensPerMinute(input: $input) {\n      id\n      tokensPerMinute\n    }\n  }\n"): (typeof documents)["\n  mutation SetApiKeyTokensPerMinute($input: SetApiKeyTokensPerMinuteInput!) {\n    setApiKeyTokensPerMinute(input: $input) {\n      id\n      tokensPerMinute\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query KeyUsage($id: ID!, $range: UsageRangeInput!) {\n    apiKey(id: $id) {\n      id\n      byDay: usage(range: $range, groupBy: DAY) {\n        from\n        to\n        groups {\n          ...UsageGroup\n        }\n        totals {\n          ...UsageGroup\n        }\n      }\n      byModel: usage(range: $range, groupBy: MODEL) {\n        from\n        to\n        groups {\n          ...UsageGroup\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query KeyUsage($id: ID!, $range: UsageRangeInput!) {\n    apiKey(id: $id) {\n      id\n      byDay: usage(range: $range, groupBy: DAY) {\n        from\n        to\n        groups {\n          ...UsageGroup\n        }\n        totals {\n          ...UsageGroup\n        }\n      }\n      byModel: usage(range: $range, groupBy: MODEL) {\n        from\n        to\n        groups {\n          ...UsageGroup\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment UsageGroup on ApiKeyUsageGroup {\n    key\n    requests\n    inputTokens\n    outputTokens\n    costMicros\n    latencyP50Ms\n    latencyP95Ms\n  }\n"): (typeof documents)["\n  fragment UsageGroup on ApiKeyUsageGroup {\n    key\n    requests\n    inputTokens\n    outputTokens\n    costMicros\n    latencyP50Ms\n    latencyP95Ms\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AuditAccess {\n    viewer {\n      id\n      organizations {\n        id\n        viewerRole\n        spaces {\n          id\n          viewerRole\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query AuditAccess {\n    viewer {\n      id\n      organizations {\n        id\n        viewerRole\n        spaces {\n          id\n          viewerRole\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment AuditEventFields on AuditEvent {\n    id\n    action\n    createdAt\n    spaceId\n    clientAddress\n    userAgent\n    actor {\n      kind\n      reason\n      user {\n        id\n        name\n        email\n      }\n    }\n    apiKey {\n      id\n      name\n      maskedKey\n    }\n    changes {\n      field\n      before\n      after\n    }\n    details {\n      name\n      value\n    }\n  }\n"): (typeof documents)["\n  fragment AuditEventFields on AuditEvent {\n    id\n    action\n    createdAt\n    spaceId\n    clientAddress\n    userAgent\n    actor {\n      kind\n      reason\n      user {\n        id\n        name\n        email\n      }\n    }\n    apiKey {\n      id\n      name\n      maskedKey\n    }\n    changes {\n      field\n      before\n      after\n    }\n    details {\n      name\n      value\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AuditEvents($organizationId: ID!, $keyId: ID, $action: AuditAction, $page: Int!, $pageSize: Int!) {\n    auditEvents(organizationId: $organizationId, keyId: $keyId, action: $action, page: $page, pageSize: $pageSize) {\n      items {\n        ...AuditEventFields\n      }\n      totalCount\n      page\n      pageSize\n      pageCount\n    }\n  }\n"): (typeof documents)["\n  query AuditEvents($organizationId: ID!, $keyId: ID, $action: AuditAction, $page: Int!, $pageSize: Int!) {\n    auditEvents(organizationId: $organizationId, keyId: $keyId, action: $action, page: $page, pageSize: $pageSize) {\n      items {\n        ...AuditEventFields\n      }\n      totalCount\n      page\n      pageSize\n      pageCount\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AuditOrganization($id: ID!) {\n    organization(id: $id) {\n      id\n      name\n      spaces {\n        id\n        name\n      }\n    }\n  }\n"): (typeof documents)["\n  query AuditOrganization($id: ID!) {\n    organization(id: $id) {\n      id\n      name\n      spaces {\n        id\n        name\n      }\n    }\n  }\n"];
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
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SpendRanking($organizationId: ID!, $range: UsageRangeInput!, $first: Int!) {\n    apiKeySpendRanking(organizationId: $organizationId, range: $range, first: $first) {\n      keyId\n      name\n      maskedKey\n      spaceId\n      removed\n      costMicros\n      requests\n      inputTokens\n      outputTokens\n    }\n    organization(id: $organizationId) {\n      id\n      name\n      viewerRole\n      spaces {\n        id\n        name\n      }\n      keyLimits {\n        ...OrganizationKeyLimitsFields\n      }\n    }\n  }\n"): (typeof documents)["\n  query SpendRanking($organizationId: ID!, $range: UsageRangeInput!, $first: Int!) {\n    apiKeySpendRanking(organizationId: $organizationId, range: $range, first: $first) {\n      keyId\n      name\n      maskedKey\n      spaceId\n      removed\n      costMicros\n      requests\n      inputTokens\n      outputTokens\n    }\n    organization(id: $organizationId) {\n      id\n      name\n      viewerRole\n      spaces {\n        id\n        name\n      }\n      keyLimits {\n        ...OrganizationKeyLimitsFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment OrganizationKeyLimitsFields on OrganizationKeyLimits {\n    maxBudgetMicros\n    allowedModels\n    maxTokensPerMinute\n  }\n"): (typeof documents)["\n  fragment OrganizationKeyLimitsFields on OrganizationKeyLimits {\n    maxBudgetMicros\n    allowedModels\n    maxTokensPerMinute\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetOrganizationKeyLimits($input: SetOrganizationKeyLimitsInput!) {\n    setOrganizationKeyLimits(input: $input) {\n      id\n      keyLimits {\n        ...OrganizationKeyLimitsFields\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation SetOrganizationKeyLimits($input: SetOrganizationKeyLimitsInput!) {\n    setOrganizationKeyLimits(input: $input) {\n      id\n      keyLimits {\n        ...OrganizationKeyLimitsFields\n      }\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;