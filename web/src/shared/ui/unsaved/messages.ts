// The unsaved-changes warning's messages (English, German): they load with the editors and
// forms that use the warning, not on the first load.
import { defineMessages, useMessages } from '../../i18n/feature';

export const messages = defineMessages(
  {
    'unsaved.title': 'Leave without saving?',
    'unsaved.text': 'Your changes on this page are not saved. If you leave now, they are lost.',
    'unsaved.stay': 'Stay and keep editing',
    'unsaved.leave': 'Leave and discard changes',
  },
  {
    'unsaved.title': 'Ohne Speichern verlassen?',
    'unsaved.text': 'Ihre Änderungen auf dieser Seite sind nicht gespeichert. Wenn Sie die Seite jetzt verlassen, gehen sie verloren.',
    'unsaved.stay': 'Bleiben und weiter bearbeiten',
    'unsaved.leave': 'Verlassen und Änderungen verwerfen',
  },
);

/** useUT translates the warning's messages. */
export const useUT = () => useMessages(messages);
