/** What the plan import and the contact list import share: one file chosen to send later, and the warnings list. */
import { Alert, Button, Upload } from 'antd';

/**
 * Ant Design's file picker in the page's language (the browser's own says "Choose file" in English), holding one
 * file until the page sends it; `onChoose(null)` when it is removed.
 */
export function FileChooser({
  testId,
  label,
  button,
  accept,
  file,
  onChoose,
}: {
  testId: string;
  label: string;
  button: string;
  accept: string;
  file: File | null;
  onChoose: (file: File | null) => void;
}) {
  return (
    <span data-testid={testId}>
      <Upload
        accept={accept}
        aria-label={label}
        maxCount={1}
        fileList={file ? [{ uid: testId, name: file.name, status: 'done' }] : []}
        beforeUpload={(chosen) => {
          onChoose(chosen);
          return false; // kept here until 预览 sends it
        }}
        onRemove={() => onChoose(null)}
      >
        <Button>{button}</Button>
      </Upload>
    </span>
  );
}

/** A file's warnings, each with where it stands ("第5行第2列：…"), under a title saying how many. */
export function WarningsAlert({ testId, title, lines }: { testId: string; title: string; lines: readonly string[] }) {
  if (lines.length === 0) return null;
  return (
    <Alert
      type="warning"
      data-testid={testId}
      title={title}
      description={
        <ul style={{ margin: 0, paddingLeft: 20 }}>
          {lines.map((line, i) => (
            <li key={i}>{line}</li>
          ))}
        </ul>
      }
    />
  );
}
