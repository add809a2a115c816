// The administration's and account's translator: their own catalogue (admin.*, account.*),
// loaded with these screens, and the shared one for common words (actions, roles, navigation).
import { useCallback } from 'react';
import { useT, type MessageKey, type Params } from '../../shared/i18n';
import { defineMessages, useMessages } from '../../shared/i18n/feature';
import { adminDe } from './messages.de';
import { adminEn } from './messages.en';

export const messages = defineMessages(adminEn, adminDe);

export type AdminKey = keyof typeof adminEn;
/** Key is a key of either catalogue. */
export type Key = AdminKey | MessageKey;

function isAdminKey(k: Key): k is AdminKey {
  return k in adminEn;
}

/** useAT translates a key of the administration's catalogue or of the shared one. */
export function useAT(): (key: Key, params?: Params) => string {
  const t = useT();
  const at = useMessages(messages);
  return useCallback((key: Key, params?: Params) => (isAdminKey(key) ? at(key, params) : t(key, params)), [t, at]);
}
