/** The one chat completion the benchmarks' local OpenAI-compatible servers answer with. */
export const completionBody = JSON.stringify({
  id: "chatcmpl-bench",
  object: "chat.completion",
  created: 1741569952,
  model: "gpt-4.1-mini",
  choices: [{ index: 0, message: { role: "assistant", content: "ok", refusal: null }, logprobs: null, finish_reason: "stop" }],
  usage: { prompt_tokens: 12, completion_tokens: 1, total_tokens: 13 },
});
