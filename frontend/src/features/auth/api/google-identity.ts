/**
 * Google Identity Services' token client, loaded only when someone presses the Google button.
 * It opens Google's consent popup and hands back an OAuth access token, which the API exchanges
 * for a verified profile (`POST /v1/auth/google`).
 */
interface TokenResponse {
  access_token?: string;
  error?: string;
  error_description?: string;
}

interface TokenClient {
  requestAccessToken: () => void;
}

interface GoogleIdentity {
  accounts: {
    oauth2: {
      initTokenClient: (config: {
        client_id: string;
        scope: string;
        callback: (response: TokenResponse) => void;
        error_callback?: (error: { type: string; message?: string }) => void;
      }) => TokenClient;
    };
  };
}

declare global {
  interface Window {
    google?: GoogleIdentity;
  }
}

const SCRIPT = "https://accounts.google.com/gsi/client";
let loading: Promise<GoogleIdentity> | null = null;

function loadGoogleIdentity(): Promise<GoogleIdentity> {
  if (window.google) return Promise.resolve(window.google);
  loading ??= new Promise<GoogleIdentity>((resolve, reject) => {
    const script = document.createElement("script");
    script.src = SCRIPT;
    script.async = true;
    script.onload = () => (window.google ? resolve(window.google) : reject(new Error("Google sign-in did not load.")));
    script.onerror = () => {
      loading = null;
      reject(new Error("Google sign-in could not be reached. Try again, or use your email and password."));
    };
    document.head.append(script);
  });
  return loading;
}

/** Ask Google for an access token (a popup); resolves to the token, rejects when the person cancels. */
export async function googleAccessToken(clientId: string): Promise<string> {
  const google = await loadGoogleIdentity();
  return new Promise<string>((resolve, reject) => {
    const client = google.accounts.oauth2.initTokenClient({
      client_id: clientId,
      scope: "openid email profile",
      callback: (response) =>
        response.access_token ? resolve(response.access_token) : reject(new Error(response.error_description ?? "Google sign-in was not completed.")),
      error_callback: (error) => reject(new Error(error.type === "popup_closed" ? "The Google window was closed before signing in." : "Google sign-in failed.")),
    });
    client.requestAccessToken();
  });
}
