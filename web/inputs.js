// The start form's inputs box: one `name=value` a line, as `prose run --input` takes them.

/** Returns {inputs} or {problem} (an English sentence with the fix). */
export function parseInputs(text) {
  const inputs = {};
  const lines = text.split(/\r?\n/);
  for (let index = 0; index < lines.length; index += 1) {
    const line = lines[index];
    if (line.trim() === "") continue;
    const equals = line.indexOf("=");
    if (equals < 0) return { problem: `Line ${index + 1} of the inputs has no "=": write it as name=value, for example "the month=March".` };
    const name = line.slice(0, equals).trim();
    if (name === "") return { problem: `Line ${index + 1} of the inputs names nothing before "=": write it as name=value, for example "the month=March".` };
    if (Object.hasOwn(inputs, name)) return { problem: `The input "${name}" is given twice (line ${index + 1}): keep one line for it.` };
    inputs[name] = line.slice(equals + 1);
  }
  return { inputs };
}
