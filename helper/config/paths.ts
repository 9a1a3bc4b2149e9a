// Where Cuesmith keeps its files on the user's machine. The functions live in models/paths.ts, below both the
// fetcher and the daemon; helper code imports them from here.
export { cuesmithHome, defaultModelDir, emotionModelDir, modelsRoot, whisperModelDir } from "../../models/paths";
