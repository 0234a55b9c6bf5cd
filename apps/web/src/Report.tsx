/**
 * 报告: the quarterly report in the seed's layout with lights and figures (the
 * API's HTML rendering, framed), its XLSX and DOCX exports, and a print view.
 */
import { Alert, Button, Card, Space, Spin } from 'antd';
import { CyclePicker, useCycle } from './CyclePicker';
import * as client from './generated/client';
import { words, type Language } from './i18n';

export function Report({ language, cycleId }: { language: Language; cycleId?: string }) {
  const { t } = words(language);
  const { cycle, cycles } = useCycle(cycleId);
  if (cycle === null) return <Alert type="info" title={t('noCycle')} />;
  if (!cycle) return <Spin />;
  const report = (format: string) => client.cyclesReportUrl({ cycleId: cycle.id }, { format });
  const print = () => window.open(report('html'), '_blank', 'noopener');
  return (
    <Card
      title={
        <Space wrap>
          {t('report')}
          <CyclePicker language={language} page="report" cycle={cycle} cycles={cycles} />
        </Space>
      }
      extra={
        <Space wrap>
          <Button href={report('xlsx')} data-testid="export-xlsx">
            {t('exportXlsx')}
          </Button>
          <Button href={report('docx')} data-testid="export-docx">
            {t('exportDocx')}
          </Button>
          <Button onClick={print}>{t('print')}</Button>
        </Space>
      }
    >
      <iframe
        title={t('report')}
        src={report('html')}
        sandbox=""
        style={{ width: '100%', height: '70vh', border: '1px solid #eee' }}
      />
    </Card>
  );
}
