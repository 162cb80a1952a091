"""B2B trade: buyer companies (approval by the operator, roles, spending limits, approvals, credit) and RFQs/quotes."""
