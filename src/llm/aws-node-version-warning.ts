/**
 * The AWS SDK for JavaScript prints a nine-line `NodeVersionSupportWarning` the first time a
 * client is made on Node < 22 (its releases after January 2027 will need Node 22). It is about
 * SDK releases Prose has not installed, not about anything the user ran, so Prose keeps it out of
 * every command's output (src/byom/README.md, "AWS SSM"). The SDK's own switch is the environment
 * variable below, read while a client is constructed; it is set only for that synchronous
 * construction and put back at once, so the user's environment (and any child process) never
 * sees it. The SDK remembers for the whole process that its warning is dealt with, so clients it
 * makes itself later (STS, SSO for credentials) stay quiet too.
 */
const switchName = "AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED";

/** Makes an AWS SDK client (`new …Client(…)`) without the SDK's Node-version warning. */
export function withoutAwsNodeVersionWarning<T>(create: () => T): T {
  const had = Object.prototype.hasOwnProperty.call(process.env, switchName);
  const before = process.env[switchName];
  process.env[switchName] = "true";
  try {
    return create();
  } finally {
    if (had) process.env[switchName] = before;
    else delete process.env[switchName];
  }
}
