// The app's backend mints a widget token for the signed-in person (GraphQL createWidgetToken,
// with the app's client_credentials token) and says where Tenantry is; the page loads
// Tenantry's embed script from there and hands the token to the widget. When the token
// expires the widget asks for a new one.
async function widgetToken() {
  const answer = await fetch('/widget-token?widgets=MEMBERS');
  if (!answer.ok) throw new Error(`widget token: ${answer.status}`);
  return answer.json();
}

const { token, tenantryUrl } = await widgetToken();
await import(`${tenantryUrl}/static/embed/embed.js`);
const members = document.getElementById('members');
members.token = token;
members.addEventListener('tenantry-token-expired', async () => {
  members.token = (await widgetToken()).token;
});
