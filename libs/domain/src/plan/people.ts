/**
 * People's names in key-task tables (牵头领导 columns, a contact in a unit's
 * note): a common surname and one to three more characters, or a title, as
 * written around a name ("副区长 王五", "张三同志").
 */
// The most common surnames (single and double), enough to tell "张三" from "城市更新".
const SURNAMES = new Set(
  (
    '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤' +
    '常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝'
  ).split(''),
);
const DOUBLE_SURNAMES = [
  '欧阳',
  '司马',
  '上官',
  '诸葛',
  '东方',
  '皇甫',
  '尉迟',
  '公孙',
  '慕容',
  '令狐',
  '司徒',
  '夏侯',
];
const TITLE = /^(?:区委|区政府|区人大|区政协)?(?:常务)?(?:副)?(?:区长|书记|主任|主席|部长|局长|秘书长|政委|常委|同志)$/;
const TITLE_AROUND =
  /^(?:(?:区委|区政府)?(?:常务)?副?(?:区长|书记|主任|主席|部长|局长|秘书长))?(.+?)(?:[(（].*[)）]|同志|(?:常务)?副?(?:区长|书记|主任|主席|部长|局长|秘书长))?$/;

/** One entry a person's name or title: "张三", "欧阳明", "副区长李四", "区长". */
export function isPersonName(piece: string): boolean {
  if (TITLE.test(piece)) return true;
  const name = TITLE_AROUND.exec(piece)?.[1] ?? piece;
  if (!/^[\u4e00-\u9fa5]{2,4}$/.test(name)) return false;
  if (DOUBLE_SURNAMES.some((s) => name.startsWith(s))) return name.length >= 3;
  return SURNAMES.has(name[0]!) && name.length <= 3;
}

/** "张三", "张三、李四", "副区长 王五": every entry a person's name or title. */
export function looksLikePeople(text: string): boolean {
  if (text.length > 60 || /[\d%。：:]/.test(text)) return false;
  const pieces = text.split(/[、，,；;\s/]+/).filter(Boolean);
  return pieces.length > 0 && pieces.every(isPersonName);
}
