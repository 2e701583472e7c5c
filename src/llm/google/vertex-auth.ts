import type { GoogleGenAIOptions } from "@google/genai";

export type GoogleAuthOptions = NonNullable<GoogleGenAIOptions["googleAuthOptions"]>;

/** The fields of a service-account JSON key file that a Vertex call needs. */
export interface ServiceAccountCredentials {
  client_email: string;
  private_key: string;
  /** Where the signed token is exchanged for an access token; Google's own by default. */
  token_uri?: string;
  project_id?: string;
  [field: string]: unknown;
}

/** The region of a Vertex provider that names none. */
export const defaultVertexLocation = "us-central1";

const googleTokenUrl = "https://oauth2.googleapis.com/token";
const cloudPlatformScope = "https://www.googleapis.com/auth/cloud-platform";

/** The missing field, named for the user, or undefined when the JSON is usable. */
export function missingCredentialField(credentials: Partial<ServiceAccountCredentials>): string | undefined {
  if (typeof credentials.client_email !== "string" || credentials.client_email === "") return "client_email";
  if (typeof credentials.private_key !== "string" || credentials.private_key === "") return "private_key";
  return undefined;
}

/**
 * google-auth-library ignores the key file's `token_uri` and always posts to
 * Google's token URL. Its HTTP client takes a fetch implementation, so the
 * exchange goes through one that sends it to the key file's `token_uri`
 * (a private endpoint, or a local server in tests) and uses the adapter's fetch.
 */
export function vertexAuthOptions(credentials: ServiceAccountCredentials, fetchImplementation: typeof fetch | undefined): GoogleAuthOptions {
  const tokenUri = credentials.token_uri;
  const baseFetch = fetchImplementation ?? globalThis.fetch;
  const tokenFetch: typeof fetch = (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    const redirected = tokenUri !== undefined && tokenUri !== googleTokenUrl && url === googleTokenUrl;
    return baseFetch(redirected ? tokenUri : input, init);
  };
  return {
    credentials: { client_email: credentials.client_email, private_key: credentials.private_key },
    scopes: [cloudPlatformScope],
    clientOptions: { transporterOptions: { fetchImplementation: tokenFetch } },
  };
}
