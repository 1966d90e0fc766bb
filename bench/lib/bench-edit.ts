/**
 * The edit every realtime bench makes (`full` in yjs-clients.ts): the client's tracking key
 * (its sequence number and send time), an annotation slot with its author (the item-document
 * check wants the writer's id there) and 3 characters inserted into the memo text, in one
 * transaction. Returns the update Yjs made of it.
 */
import type * as Y from 'yjs';

export function writeEdit(doc: Y.Doc, edit: { index: number; seq: number; t: number; authorId: string }): Uint8Array {
  const { index, seq, t, authorId } = edit;
  let update: Uint8Array | null = null;
  const capture = (u: Uint8Array) => (update = u);
  doc.on('update', capture);
  try {
    doc.transact(() => {
      doc.getMap('bench').set(String(index), { seq, t });
      doc.getMap('annotations').set(`a${index}-${seq % 16}`, { code: 'C1', start: seq, end: seq + 5, by: index, authorId });
      const memo = doc.getText('memo');
      memo.insert(Math.floor(Math.random() * (memo.length + 1)), 'abc');
    });
  } finally {
    doc.off('update', capture);
  }
  return update!;
}
