// The voucher page: Print, and a confirmation before a refund.
document.querySelectorAll("[data-print]").forEach((button) => button.addEventListener("click", () => window.print()));
document.querySelectorAll("form[data-confirm]").forEach((form) =>
  form.addEventListener("submit", (event) => {
    if (!window.confirm(form.dataset.confirm)) event.preventDefault();
  }),
);
