"""SQLAlchemy 2 typed models; importing this package registers every table on ``Base.metadata``."""
from hotline.models.agent import AgentState
from hotline.models.audit import AuditEntry, AuditHead
from hotline.models.base import Base, utcnow
from hotline.models.call import Call, CallStep
from hotline.models.callback import Callback
from hotline.models.case import Case, CaseHistory, CaseStatus, ComplaintCounter, Response
from hotline.models.complainant import Complainant, ConsentChange
from hotline.models.entity import Entity, EntityKind, RoutingRule
from hotline.models.job import JobRow
from hotline.models.media import Attachment, Recording, Transcript
from hotline.models.queue import QueueCall
from hotline.models.place import CasePlace, Cluster, DuplicateSuggestion, EntityUnit, PhotoHash
from hotline.models.survey import Survey
from hotline.models.user import GrantRequest, User

__all__ = [
    "AgentState", "Attachment", "AuditEntry", "AuditHead", "Base", "Call", "Callback", "CallStep", "Case", "CaseHistory",
    "CasePlace", "CaseStatus", "Cluster", "Complainant", "ComplaintCounter", "ConsentChange", "DuplicateSuggestion",
    "Entity", "EntityKind", "EntityUnit", "GrantRequest", "JobRow", "PhotoHash", "QueueCall", "Recording", "Response", "RoutingRule",
    "Survey", "Transcript", "User", "utcnow",
]
