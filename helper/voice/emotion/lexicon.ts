// A project-written bilingual (zh/en) emotion lexicon. No open Chinese emotion lexicon has a licence that allows a
// commercial product, so this one is ours: common spoken words of voice-overs, each with the emotion it signals
// and a weight. Scores are summed per clause, then modified by negators, intensifiers and punctuation.

export const EMOTIONS = ["enthusiastic", "calm", "tense", "sad", "hopeful", "playful", "serious", "apologetic"] as const;
export type Emotion = (typeof EMOTIONS)[number];

type Entries = Partial<Record<Emotion, string[]>>;

const ZH: Entries = {
  enthusiastic: ["太棒", "棒极", "真棒", "激动", "兴奋", "惊艳", "超赞", "厉害", "震撼", "精彩", "迫不及待", "太好了", "了不起", "炸裂", "火爆", "热爱", "好消息", "升级", "全新"],
  calm: ["安静", "平静", "放松", "慢慢", "轻松", "舒服", "悠闲", "宁静", "温柔", "舒缓", "休息", "深呼吸", "自然", "安心"],
  tense: ["紧张", "危险", "小心", "警惕", "赶紧", "来不及", "风险", "危机", "担心", "害怕", "压力", "倒计时", "紧急", "突然"],
  sad: ["难过", "伤心", "遗憾", "可惜", "失去", "离开", "告别", "怀念", "孤独", "眼泪", "痛苦", "想念", "再也"],
  hopeful: ["希望", "未来", "相信", "期待", "梦想", "明天", "努力", "一起", "成长", "机会", "坚持", "会更好", "新的开始"],
  playful: ["好玩", "有趣", "哈哈", "搞笑", "调皮", "开心", "逗", "玩", "可爱", "嘿嘿", "惊喜", "彩蛋"],
  serious: ["重要", "注意", "必须", "严肃", "原则", "规则", "责任", "数据", "分析", "研究", "认真", "步骤", "要求", "说明"],
  apologetic: ["抱歉", "对不起", "不好意思", "小问题", "正在修复", "修复", "问题", "不足", "改进", "bug", "见谅", "还不完美", "延迟", "道歉"],
};

const EN: Entries = {
  enthusiastic: ["amazing", "awesome", "incredible", "excited", "exciting", "fantastic", "thrilled", "love", "wow", "brilliant", "can't wait", "game changer", "huge", "best"],
  calm: ["calm", "relax", "relaxing", "quiet", "peaceful", "gently", "slowly", "breathe", "easy", "soothing", "rest", "gentle"],
  tense: ["danger", "dangerous", "careful", "warning", "urgent", "risk", "hurry", "threat", "afraid", "scared", "pressure", "deadline", "suddenly", "worried"],
  sad: ["sad", "sorrow", "miss", "lost", "loss", "goodbye", "farewell", "lonely", "tears", "grief", "unfortunately", "never again", "heartbroken"],
  hopeful: ["hope", "future", "believe", "dream", "tomorrow", "together", "grow", "opportunity", "better", "brighter", "promise", "someday", "look forward"],
  playful: ["fun", "funny", "haha", "silly", "play", "playful", "cute", "joke", "giggle", "surprise", "goofy", "lol"],
  serious: ["important", "note", "must", "serious", "rule", "rules", "responsibility", "data", "analysis", "research", "carefully", "step", "required", "policy"],
  apologetic: ["sorry", "apologize", "apologies", "unfortunately", "issue", "issues", "bug", "bugs", "fixing", "fix", "working on", "not perfect", "delay", "mistake", "our fault"],
};

export interface LexiconEntry {
  term: string;
  emotion: Emotion;
  weight: number;
  lang: "zh" | "en";
}

function entries(table: Entries, lang: "zh" | "en"): LexiconEntry[] {
  return Object.entries(table).flatMap(([emotion, terms]) => terms!.map((term) => ({ term, emotion: emotion as Emotion, weight: 1, lang })));
}

/** Longest terms first, so "正在修复" wins over "修复" and "can't wait" over "wait". */
export const LEXICON: LexiconEntry[] = [...entries(ZH, "zh"), ...entries(EN, "en")].sort((a, b) => b.term.length - a.term.length);

export const NEGATORS = { zh: ["不", "没", "没有", "别", "无", "并不", "不是"], en: ["not", "no", "never", "don't", "doesn't", "isn't", "wasn't", "aren't", "without", "hardly"] };
export const INTENSIFIERS = { zh: ["真的", "太", "非常", "很", "特别", "超", "超级", "极其", "十分", "好"], en: ["really", "very", "so", "extremely", "super", "truly", "incredibly", "totally"] };
/** Words after which the clause's feeling turns: what follows is the undertone. */
export const CONTRAST_MARKERS = { zh: ["当然", "但是", "不过", "然而", "可是", "只是", "虽然"], en: ["although", "but", "however", "though", "that said", "of course"] };
