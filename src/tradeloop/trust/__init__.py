"""Verified seller onboarding: applications with documents, the operator's review, verification tiers, payout holds for unverified sellers, the verified badge and its lift in search."""
