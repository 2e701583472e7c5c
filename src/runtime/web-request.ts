/**
 * A web request as a script's run asks for it (`send a request to …`, `get the url …`). The
 * runtime never holds a secret value: a header that carries a named secret says which secret,
 * and the host (the command line) reads it from the agent's store just before the request goes.
 */
export interface WebRequest {
  url: string;
  /** Upper-case: GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS. */
  method: string;
  /** Headers written in the script, as written (`the header "X-Api-Key" is …`). */
  headers: Array<[string, string]>;
  /** Headers whose value is a named secret: `Authorization: Bearer <value>` for `the credential is "crm token"`. */
  secretHeaders: SecretHeader[];
  /** The body's text and its content type (JSON for a record or a list). */
  body?: { text: string; contentType: string };
  timeoutMilliseconds: number;
}

export interface SecretHeader {
  header: string;
  /** The secret's name, as in `prose secret add NAME`. */
  secret: string;
  /** Text before the value: "Bearer " for the `credential` block line, "" for a header line. */
  prefix: string;
}

export interface WebResponse {
  /** The address that answered (after redirects). */
  url: string;
  status: number;
  /** Header names in lower case. */
  headers: Record<string, string>;
  /** The body as text (UTF-8); secret values the request used are replaced by `[secret]`. */
  body: string;
}

/**
 * A request that could not be made or was refused (no --allow-net for its host, unreachable,
 * timed out, too large an answer): its message is English, names the host and port, and holds
 * no secret.
 */
export class WebRequestFailed extends Error {
  override readonly name = "WebRequestFailed";
  constructor(
    message: string,
    readonly fix?: string,
  ) {
    super(message);
  }
}
