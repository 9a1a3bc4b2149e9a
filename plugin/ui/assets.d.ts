// webpack's asset/source rule: `import css from "./panel.css"` gives the file's text.
declare module "*.css" {
  const text: string;
  export default text;
}
