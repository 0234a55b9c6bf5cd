/** Synthetic plans for the bench scripts. */

/** A plan of `rows` tasks in 50 categories, as CSV, with targets, several units and progress. */
export function syntheticCsv(rows: number): Uint8Array {
  const lines = ['序号,项目名称,项目内容,责任单位,进展情况'];
  const units = [
    '区住建局',
    '区城管局',
    '区发改经信局',
    '区教育局',
    '区民政局',
    '区商务局',
    '各街道',
    '相关建设指挥部',
  ];
  for (let i = 1; i <= rows; i += 1) {
    const category = `(${['一', '二', '三', '四', '五'][i % 5]}十${['', '一', '二', '三', '四', '五', '六', '七', '八', '九'][i % 10]})第${i % 50}类重点工作`;
    const target = 100 + (i % 900);
    lines.push(
      [
        i,
        category,
        `第${i}项：新建道路${target}条，改造小区${i % 40}个以上`,
        `${units[i % units.length]}、${units[(i + 3) % units.length]}、${units[(i + 5) % units.length]}`,
        `已完成${Math.floor(target * 0.7)}条,完成率70%`,
      ].join(','),
    );
  }
  return new TextEncoder().encode(lines.join('\n'));
}
