/** The underlying error (e.g. a fetch TypeError) under a message, so a tester can report the real cause. */
export function ErrorDetails({ details }: { details?: string }) {
  if (!details) return null;
  return (
    <div className="error-details">
      <sp-body size="S">Details: {details}</sp-body>
    </div>
  );
}
