"""/v1/bookings: request, answer, reschedule, cancel and read bookings."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from litestar import Controller, Response, get, post
from litestar.params import Parameter

from procus.domain.accounts import Principal
from procus.domain.bookings import BookingStatus
from procus.handlers.booking_schemas import (
    BookingCreate,
    BookingCreatedOut,
    BookingEventOut,
    BookingOut,
    BookingPageOut,
    CancellationPolicyOut,
    OptionalReason,
    Reason,
    RescheduleProposal,
)
from procus.handlers.idempotency import IdempotencyKey, replay_headers
from procus.handlers.paging import PageCursor
from procus.services.bookings import BookingDetails, BookingList, BookingRequest, BookingService
from procus.services.bookings.reads import MAX_PAGE_SIZE
from procus.services.idempotency import Outcome

__all__ = ["BookingsController"]


def _booking_response(outcome: Outcome[BookingDetails]) -> Response[BookingOut]:
    return Response(BookingOut.of(outcome.result), status_code=200, headers=replay_headers(outcome.replayed))


class BookingsController(Controller):
    path = "/v1/bookings"
    tags = ["bookings"]

    @post(operation_id="createBooking", status_code=201)
    async def create(
        self,
        data: BookingCreate,
        bookings: BookingService,
        principal: Principal,
        idempotency_key: IdempotencyKey = None,
    ) -> Response[BookingCreatedOut]:
        request = BookingRequest(expert_id=data.expert_id, area_id=data.area_id, start=data.start, note=data.note)
        outcome = await bookings.requests.request(principal, request, idempotency_key=idempotency_key)
        return Response(BookingCreatedOut.of(outcome.result), status_code=201, headers=replay_headers(outcome.replayed))

    @get(operation_id="listBookings")
    async def list_bookings(
        self,
        bookings: BookingService,
        principal: Principal,
        role: Annotated[Literal["client", "expert"] | None, Parameter(description="Only as client or expert")] = None,
        status: Annotated[list[BookingStatus] | None, Parameter(description="Repeat to allow several")] = None,
        when: Annotated[
            Literal["upcoming", "past"] | None,
            Parameter(description="upcoming: active bookings not over yet, soonest first; past: latest first"),
        ] = None,
        limit: Annotated[int, Parameter(ge=1, le=MAX_PAGE_SIZE)] = 20,
        cursor: PageCursor = None,
    ) -> BookingPageOut:
        query = BookingList(role=role, statuses=tuple(status or ()), when=when, cursor=cursor, limit=limit)
        return BookingPageOut.of(await bookings.reads.list_mine(principal, query))

    @get("/cancellation-policy", operation_id="getCancellationPolicy")
    async def cancellation_policy(self, bookings: BookingService) -> CancellationPolicyOut:
        return CancellationPolicyOut.of(bookings.policy)

    @get("/{booking_id:uuid}", operation_id="getBooking")
    async def get_booking(self, booking_id: uuid.UUID, bookings: BookingService, principal: Principal) -> BookingOut:
        return BookingOut.of(await bookings.reads.get(principal, booking_id))

    @get("/{booking_id:uuid}/events", operation_id="listBookingEvents")
    async def list_events(
        self, booking_id: uuid.UUID, bookings: BookingService, principal: Principal
    ) -> list[BookingEventOut]:
        return [BookingEventOut.of(event) for event in await bookings.reads.events(principal, booking_id)]

    @get("/{booking_id:uuid}/invite.ics", operation_id="getBookingInvite", media_type="text/calendar")
    async def invite(self, booking_id: uuid.UUID, bookings: BookingService, principal: Principal) -> Response[bytes]:
        invite = await bookings.reads.invite(principal, booking_id)
        return Response(
            invite.data,
            media_type=f"text/calendar; method={invite.method}",
            headers={"Content-Disposition": f'attachment; filename="{invite.filename}"'},
        )

    @post("/{booking_id:uuid}/accept", operation_id="acceptBooking", status_code=200)
    async def accept(self, booking_id: uuid.UUID, bookings: BookingService, principal: Principal) -> BookingOut:
        return BookingOut.of(await bookings.answers.accept(principal, booking_id))

    @post("/{booking_id:uuid}/decline", operation_id="declineBooking", status_code=200)
    async def decline(
        self,
        booking_id: uuid.UUID,
        data: Reason,
        bookings: BookingService,
        principal: Principal,
        idempotency_key: IdempotencyKey = None,
    ) -> Response[BookingOut]:
        return _booking_response(
            await bookings.answers.decline(principal, booking_id, data.reason, idempotency_key=idempotency_key)
        )

    @post("/{booking_id:uuid}/cancel", operation_id="cancelBooking", status_code=200)
    async def cancel(
        self,
        booking_id: uuid.UUID,
        data: Reason,
        bookings: BookingService,
        principal: Principal,
        idempotency_key: IdempotencyKey = None,
    ) -> Response[BookingOut]:
        return _booking_response(
            await bookings.cancellations.cancel(principal, booking_id, data.reason, idempotency_key=idempotency_key)
        )

    @post("/{booking_id:uuid}/reschedule", operation_id="proposeReschedule", status_code=200)
    async def propose_reschedule(
        self, booking_id: uuid.UUID, data: RescheduleProposal, bookings: BookingService, principal: Principal
    ) -> BookingOut:
        return BookingOut.of(await bookings.reschedules.propose(principal, booking_id, data.start, data.reason))

    @post("/{booking_id:uuid}/reschedule/accept", operation_id="acceptReschedule", status_code=200)
    async def accept_reschedule(
        self, booking_id: uuid.UUID, bookings: BookingService, principal: Principal
    ) -> BookingOut:
        return BookingOut.of(await bookings.reschedules.accept(principal, booking_id))

    @post("/{booking_id:uuid}/reschedule/decline", operation_id="declineReschedule", status_code=200)
    async def decline_reschedule(
        self,
        booking_id: uuid.UUID,
        bookings: BookingService,
        principal: Principal,
        data: OptionalReason | None = None,
        idempotency_key: IdempotencyKey = None,
    ) -> Response[BookingOut]:
        reason = data.reason if data else None
        return _booking_response(
            await bookings.reschedules.decline(principal, booking_id, reason, idempotency_key=idempotency_key)
        )
