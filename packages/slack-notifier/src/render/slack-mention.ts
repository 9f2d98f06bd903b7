/** The mentions a route may use: `@here`, `@channel`, their `<!…>` forms, a user `<@U…>`, a user group `<!subteam^S…>`. */
const MENTION = /^(?:<!here>|<!channel>|<@[UW][A-Z0-9]+>|<!subteam\^[A-Z0-9]+(?:\|[^>]*)?>|@here|@channel)$/;

/** Slack's mention syntax for a configured mention, or undefined when it is not one of {@link MENTION}. */
function slackMention(mention: string): string | undefined {
  const m = mention.trim();
  if (!MENTION.test(m)) return undefined;
  return m === '@here' ? '<!here>' : m === '@channel' ? '<!channel>' : m;
}

export { MENTION, slackMention };
