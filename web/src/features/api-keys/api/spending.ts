import { useCallback } from 'react';
import { CombinedGraphQLErrors } from '@apollo/client';
import { useMutation } from '@apollo/client/react';
import { graphql } from '../../../gql';
import type { KeyBudgetInput } from '../../../gql/graphql';
import { KeyActivityDocument } from './key-activity';

/** What a budget bar needs: limit, warning share and the current window's spend (batched per page on the server). */
export const KeyBudgetBarFragment = graphql(`
  fragment KeyBudgetBar on KeyBudget {
    limitMicros
    period
    warnAtPercent
    spentMicros
    reservedMicros
  }
`);

/**
 * A key's spending: its own budget (what the editor sets) and the budget verification holds it to
 * (its own lowered to the organization's maximum, or that maximum), with the current window's spend.
 */
export const KeySpendingFragment = graphql(`
  fragment KeySpending on ApiKey {
    id
    allowedModels
    tokensPerMinute
    budget {
      limitMicros
      period
      warnAtPercent
    }
    effectiveBudget {
      ...KeyBudgetBar
      remainingMicros
      windowStartsAt
      windowEndsAt
    }
  }
`);

export const SetApiKeyBudgetDocument = graphql(`
  mutation SetApiKeyBudget($input: SetApiKeyBudgetInput!) {
    setApiKeyBudget(input: $input) {
      ...KeySpending
    }
  }
`);

export const SetApiKeyAllowedModelsDocument = graphql(`
  mutation SetApiKeyAllowedModels($input: SetApiKeyAllowedModelsInput!) {
    setApiKeyAllowedModels(input: $input) {
      id
      allowedModels
    }
  }
`);

export const SetApiKeyTokensPerMinuteDocument = graphql(`
  mutation SetApiKeyTokensPerMinute($input: SetApiKeyTokensPerMinuteInput!) {
    setApiKeyTokensPerMinute(input: $input) {
      id
      tokensPerMinute
    }
  }
`);

/** The input field a BAD_USER_INPUT names (`extensions.field`), to show the message at that field. */
export function errorField(error: unknown): string | undefined {
  if (!CombinedGraphQLErrors.is(error)) return undefined;
  const field = error.errors[0]?.extensions?.field;
  return typeof field === 'string' ? field : undefined;
}

/** Sets or removes (null) a key's budget; the key's details and table row update by id. */
export function useSetApiKeyBudget() {
  const [mutate, { loading }] = useMutation(SetApiKeyBudgetDocument, { refetchQueries: [KeyActivityDocument] });
  const setBudget = useCallback(
    async (id: string, budget: KeyBudgetInput | null) => {
      const result = await mutate({ variables: { input: { id, budget } } });
      const key = result.data?.setApiKeyBudget;
      if (!key) throw new Error('The budget was not saved.');
      return key;
    },
    [mutate],
  );
  return { setBudget, loading };
}

export function useSetApiKeyAllowedModels() {
  const [mutate, { loading }] = useMutation(SetApiKeyAllowedModelsDocument, { refetchQueries: [KeyActivityDocument] });
  const setAllowedModels = useCallback(
    async (id: string, allowedModels: string[]) => {
      const result = await mutate({ variables: { input: { id, allowedModels } } });
      const key = result.data?.setApiKeyAllowedModels;
      if (!key) throw new Error('The allowed models were not saved.');
      return key;
    },
    [mutate],
  );
  return { setAllowedModels, loading };
}

export function useSetApiKeyTokensPerMinute() {
  const [mutate, { loading }] = useMutation(SetApiKeyTokensPerMinuteDocument, { refetchQueries: [KeyActivityDocument] });
  const setTokensPerMinute = useCallback(
    async (id: string, tokensPerMinute: number | null) => {
      const result = await mutate({ variables: { input: { id, tokensPerMinute } } });
      const key = result.data?.setApiKeyTokensPerMinute;
      if (!key) throw new Error('The token limit was not saved.');
      return key;
    },
    [mutate],
  );
  return { setTokensPerMinute, loading };
}

export const KeyUsageDocument = graphql(`
  query KeyUsage($id: ID!, $range: UsageRangeInput!) {
    apiKey(id: $id) {
      id
      byDay: usage(range: $range, groupBy: DAY) {
        from
        to
        groups {
          ...UsageGroup
        }
        totals {
          ...UsageGroup
        }
      }
      byModel: usage(range: $range, groupBy: MODEL) {
        from
        to
        groups {
          ...UsageGroup
        }
      }
    }
  }
`);

export const UsageGroupFragment = graphql(`
  fragment UsageGroup on ApiKeyUsageGroup {
    key
    requests
    inputTokens
    outputTokens
    costMicros
    latencyP50Ms
    latencyP95Ms
  }
`);
