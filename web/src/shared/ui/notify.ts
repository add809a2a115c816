// Toasts for the outcome of every action: success in green, failure in red with the
// problem's detail (what the user has to fix).
import { notifications } from '@mantine/notifications';
import { problemMessage } from '../api/problem';

let closeLabel = 'Close';

/** setCloseLabel names the toasts' close button in the current language (I18nProvider). */
export function setCloseLabel(label: string): void {
  closeLabel = label;
}

export function notifySuccess(message: string): void {
  notifications.show({ color: 'green', message, autoClose: 4000, closeButtonProps: { 'aria-label': closeLabel } });
}

export function notifyFailure(title: string, error: unknown): void {
  notifications.show({ color: 'red', title, message: problemMessage(error), autoClose: 8000, closeButtonProps: { 'aria-label': closeLabel } });
}
