export function openPalette() {}
export function CommandPalette() {
  return null;
}
