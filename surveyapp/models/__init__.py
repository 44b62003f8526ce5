"""All models, re-exported so Alembic and the services see one metadata."""

from surveyapp.models.actions import ACTION_STATUSES, Action, ActionUpdate, OutcomeValue
from surveyapp.models.audit import AuditEvent
from surveyapp.models.base import Base
from surveyapp.models.campaigns import (
    Campaign,
    CampaignInstrument,
    Invitation,
    campaign_units,
)
from surveyapp.models.evidence import (
    AiSystem,
    AiSystemUse,
    EvidenceBuild,
    Measure,
    MeasureCompletion,
)
from surveyapp.models.holding import HeldResponse
from surveyapp.models.instruments import (
    Instrument,
    InstrumentVersion,
    Item,
    ResponseScale,
    Scale,
)
from surveyapp.models.jobs import Job
from surveyapp.models.mail import OutboxMessage
from surveyapp.models.org import LEVELS, Function, OrgUnit, Person
from surveyapp.models.releases import ResultRelease
from surveyapp.models.responses import Answer, Response
from surveyapp.models.snapshots import CampaignUnit
from surveyapp.models.survey import Draft, OpenLink
from surveyapp.models.users import ROLE_FROM, ROLES, ApiToken, StaffSession, User, user_units

__all__ = [
    "ACTION_STATUSES",
    "LEVELS",
    "ROLES",
    "ROLE_FROM",
    "Action",
    "ActionUpdate",
    "AiSystem",
    "AiSystemUse",
    "Answer",
    "ApiToken",
    "AuditEvent",
    "Base",
    "Campaign",
    "CampaignInstrument",
    "CampaignUnit",
    "Draft",
    "EvidenceBuild",
    "Function",
    "HeldResponse",
    "Instrument",
    "InstrumentVersion",
    "Invitation",
    "Item",
    "Job",
    "Measure",
    "MeasureCompletion",
    "OpenLink",
    "OrgUnit",
    "OutboxMessage",
    "OutcomeValue",
    "Person",
    "Response",
    "ResponseScale",
    "ResultRelease",
    "Scale",
    "StaffSession",
    "User",
    "campaign_units",
    "user_units",
]
