/**
 * Reloading the app without losing what the page holds. A page whose work lives in live
 * documents registers how to settle it (`keepOnReload`: the coding page writes its text drafts
 * and waits for its coding document to be saved, or kept on this device); `reloadApp` settles
 * every such page, then reloads. Used when a part of the page cannot load because Concord was
 * upgraded since the page was opened (LazyPart.svelte): only a reload gets the new version.
 */
type Settle = () => Promise<void>;

const settlers = new Set<Settle>();

/** Registers `settle` until the returned function is called (the page's cleanup). */
export function keepOnReload(settle: Settle): () => void {
  settlers.add(settle);
  return () => settlers.delete(settle);
}

/** Whether the page shown keeps its work across `reloadApp` (so the message may say so). */
export const keepsWorkOnReload = (): boolean => settlers.size > 0;

export async function reloadApp(): Promise<void> {
  await Promise.all([...settlers].map((settle) => settle()));
  location.reload();
}
