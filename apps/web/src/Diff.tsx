/**
 * What changed between two versions of a narrative, character by character
 * (Chinese has no spaces to split words on): removed text struck through in
 * red, added text underlined in green. Rendered as React text, never HTML.
 */
import { Typography } from 'antd';

type Piece = { kind: 'same' | 'added' | 'removed'; text: string };

/** Longest common subsequence over characters; long texts fall back to lines to stay quick. */
export function diffPieces(before: string, after: string): Piece[] {
  const byLine = before.length * after.length > 4_000_000;
  const a = byLine ? before.split(/(?<=\n)/) : [...before];
  const b = byLine ? after.split(/(?<=\n)/) : [...after];
  const rows = a.length + 1;
  const cols = b.length + 1;
  const table = new Uint32Array(rows * cols);
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      table[i * cols + j] =
        a[i] === b[j]
          ? table[(i + 1) * cols + j + 1]! + 1
          : Math.max(table[(i + 1) * cols + j]!, table[i * cols + j + 1]!);
    }
  }
  const pieces: Piece[] = [];
  const push = (kind: Piece['kind'], text: string) => {
    const last = pieces[pieces.length - 1];
    if (last?.kind === kind) last.text += text;
    else pieces.push({ kind, text });
  };
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      push('same', a[i]!);
      i++;
      j++;
    } else if (table[(i + 1) * cols + j]! >= table[i * cols + j + 1]!) push('removed', a[i++]!);
    else push('added', b[j++]!);
  }
  while (i < a.length) push('removed', a[i++]!);
  while (j < b.length) push('added', b[j++]!);
  return pieces;
}

export function TextDiff({ before, after, label }: { before: string; after: string; label: string }) {
  return (
    <Typography.Paragraph aria-label={label} data-testid="diff" style={{ whiteSpace: 'pre-wrap' }}>
      {diffPieces(before, after).map((piece, index) =>
        piece.kind === 'same' ? (
          <span key={index}>{piece.text}</span>
        ) : piece.kind === 'added' ? (
          <ins key={index} style={{ background: '#e6ffec', color: '#116329' }}>
            {piece.text}
          </ins>
        ) : (
          <del key={index} style={{ background: '#ffebe9', color: '#a40e26' }}>
            {piece.text}
          </del>
        ),
      )}
    </Typography.Paragraph>
  );
}
