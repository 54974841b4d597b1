export const config = {
  clientId: "3458764517517819000",
  clientSecret: "zymMlopiWfqUyHRSIf8NFmAUNLnY5Yx0",
  redirectUrl: process.env.REDIRECT_URL,
};
// miroguard-ignore[hardcoded-secret]: revoked demo token used in the tutorial
export const DEMO_TOKEN = "ghp_uQG3JSr3lpxGut6VkYi3EU5qFWjxOlHCsHO4";
