// Uploaded by .github/workflows/preview.yml under a pull request's preview alias when the pull
// request closes. Worker versions cannot be deleted, so the alias is re-pointed at this and stops
// serving the PR's code (whose Neon branch is deleted in the same job).
export default {
  fetch: () =>
    Response.json(
      {
        type: "about:blank",
        title: "Gone",
        status: 410,
        detail: "This pull request's preview was removed when the pull request closed.",
      },
      { status: 410, headers: { "content-type": "application/problem+json", "cache-control": "no-store" } },
    ),
} satisfies ExportedHandler;
