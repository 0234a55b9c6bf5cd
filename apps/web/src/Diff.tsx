/**
 * What changed between two versions of a narrative, word by word
 * (word-diff.ts): removed words struck through in red, added words
 * underlined in green. Rendered as React text, never HTML.
 */
import { Typography } from 'antd';
import { useMemo } from 'react';
import { diffWords } from './word-diff';

export function TextDiff({ before, after, label }: { before: string; after: string; label: string }) {
  const pieces = useMemo(() => diffWords(before, after), [before, after]);
  return (
    <Typography.Paragraph aria-label={label} data-testid="diff" style={{ whiteSpace: 'pre-wrap' }}>
      {pieces.map((piece, index) =>
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
