// Start-up reference for `npm run bench`: a Worker with nothing in it.
export default {
  fetch: () => new Response("ok"),
};
