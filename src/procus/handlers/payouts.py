"""/v1/payouts: an expert's bank account, balance and withdrawals."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Response, get, post, put
from litestar.params import Parameter

from procus.domain.accounts import Principal
from procus.handlers.idempotency import IdempotencyKey, replay_headers
from procus.handlers.payment_schemas import (
    AccountLookupIn,
    BalanceOut,
    BankOut,
    PayoutAccountIn,
    PayoutAccountOut,
    PayoutCreate,
    PayoutOut,
    PayoutPolicyOut,
    ResolvedAccountOut,
)
from procus.services.payments import PayoutService

__all__ = ["PayoutsController"]


class PayoutsController(Controller):
    path = "/v1/payouts"
    tags = ["payouts"]

    @get("/balance", operation_id="getPayoutBalance")
    async def balance(self, payouts: PayoutService, expert: Principal) -> list[BalanceOut]:
        return [BalanceOut.of(balance) for balance in await payouts.balance(expert)]

    @get("/policy", operation_id="getPayoutPolicy")
    async def policy(self, payouts: PayoutService, expert: Principal) -> PayoutPolicyOut:
        return PayoutPolicyOut(minimum_amount=payouts.minimum)

    @post("/account-name", operation_id="resolvePayoutAccountName", status_code=200)
    async def resolve_account(
        self, data: AccountLookupIn, payouts: PayoutService, expert: Principal
    ) -> ResolvedAccountOut:
        """The name the bank holds for an account, to confirm before ``setPayoutAccount``. 422
        ``account_not_resolved`` when the bank knows no such account. (POST keeps the number out of URLs.)"""
        resolved = await payouts.resolve_account(expert, bank_code=data.bank_code, account_number=data.account_number)
        return ResolvedAccountOut.of(data.bank_code, resolved)

    @get("/banks", operation_id="listPayoutBanks")
    async def banks(
        self,
        payouts: PayoutService,
        expert: Principal,
        currency: Annotated[str, Parameter(pattern="^[A-Z]{3}$")] = "NGN",
    ) -> list[BankOut]:
        return [BankOut.of(bank) for bank in await payouts.banks(expert, currency)]

    @get("/accounts", operation_id="listPayoutAccounts")
    async def accounts(self, payouts: PayoutService, expert: Principal) -> list[PayoutAccountOut]:
        return [PayoutAccountOut.of(account) for account in await payouts.accounts(expert)]

    @put("/accounts", operation_id="setPayoutAccount")
    async def set_account(self, data: PayoutAccountIn, payouts: PayoutService, expert: Principal) -> PayoutAccountOut:
        """Register the bank account payouts in ``currency`` go to (replacing any earlier one)."""
        account = await payouts.register_account(
            expert, bank_code=data.bank_code, account_number=data.account_number, name=data.name, currency=data.currency
        )
        return PayoutAccountOut.of(account)

    @get(operation_id="listPayouts")
    async def history(
        self, payouts: PayoutService, expert: Principal, limit: Annotated[int, Parameter(ge=1, le=100)] = 50
    ) -> list[PayoutOut]:
        return [PayoutOut.of(payout) for payout in await payouts.history(expert, limit)]

    @post(operation_id="requestPayout", status_code=201)
    async def request_payout(
        self,
        data: PayoutCreate,
        payouts: PayoutService,
        expert: Principal,
        idempotency_key: IdempotencyKey = None,
    ) -> Response[PayoutOut]:
        """Withdraw from the available balance: at least the minimum, at most what is available."""
        outcome = await payouts.request(
            expert, amount=data.amount, currency=data.currency, idempotency_key=idempotency_key
        )
        return Response(PayoutOut.of(outcome.result), status_code=201, headers=replay_headers(outcome.replayed))
