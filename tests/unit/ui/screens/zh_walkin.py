"""Chinese for the walk-in and invitation screens, until they are merged into i18n/*.ts.

``python -m tests.unit.ui.screens.zh_walkin [path]`` writes the table as JSON
(``{"<context>": {"<English source>": "<简体中文>"}}``, default ``/tmp/zh_walkin.json``). It
holds every new string of ``ui/screens/walkin.py``, ``ui/screens/invite.py``, the check-in
screen's 没有通行码 and the new prompts of ``kiosk/flows/walkin.py``, plus the WALKIN_* and
INVITE_* prompts of ``kiosk/prompts.py`` (as the catalogue already has them).
:class:`DictTranslator` shows the screens in Chinese from it; a test checks the table against
what ``pyside6-lupdate`` finds in those sources.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Final

from tests.unit.ui.widgets.zh_strings import DictTranslator

__all__ = ["ZH", "DictTranslator", "write_json"]

ZH: Final[dict[str, dict[str, str]]] = {
    "CheckInScreen": {
        "No pass? Register": "没有通行码",
    },
    "Feature": {
        "Invite a visitor": "邀请访客",
        "Print a pass for your visitor": "为访客打印通行码",
    },
    "WalkInStep": {
        "Visiting {household}": "拜访 {household}",
        "Keep “{value}”": "继续使用“{value}”",
    },
    "WalkInHostScreen": {
        "Who are you visiting?": "您要拜访哪一户？",
        "Try again": "重试",
    },
    "WalkInNameScreen": {
        "Your name": "您的称呼",
        "Type the full name": "输入全名",
        "Back to the surnames": "返回选择姓氏",
    },
    "WalkInPhoneScreen": {
        "Your mobile number": "您的手机号码",
    },
    "WalkInReasonScreen": {
        "Reason for the visit": "来访事由",
        "Visiting family": "探亲",
        "Visiting friends": "访友",
        "Delivery": "快递外卖",
        "Repair": "维修",
        "Housekeeping": "家政",
        "Other": "其他",
    },
    "WalkInPhotoScreen": {
        "Photo for the visitor record": "拍照登记",
        "Take photo": "拍照",
        "No photo": "不拍照",
        "The camera is not working. Please touch No photo to go on.": (
            "摄像头暂时无法使用，请点「不拍照」继续。"
        ),
    },
    "WalkInWaitScreen": {
        "Waiting for the resident": "等待住户确认",
        "Cancel": "取消",
        "Approve as volunteer": "志愿者批准",
        "Try again": "重试",
        "Waiting for {seconds} s": "已等待 {seconds} 秒",
        "Waiting for {minutes} min {seconds} s": "已等待 {minutes} 分 {seconds} 秒",
    },
    "WalkInResultScreen": {
        "Visitor registration": "访客登记",
        "Done": "完成",
    },
    "InviteStep": {
        "Inviting to {household}": "邀请访客到 {household}",
        "Keep “{value}”": "继续使用“{value}”",
    },
    "InviteWhenScreen": {
        "Invite a visitor": "邀请访客",
    },
    "InviteNameScreen": {
        "Your visitor's name": "访客称呼",
        "Choose your visitor's surname": "请选择访客的姓氏",
        "How should we address your visitor?": "请选择对访客的称呼",
        "Back to the surnames": "返回选择姓氏",
    },
    "InviteConfirmScreen": {
        "Please check the invitation": "请核对邀请信息",
        "Visitor": "访客",
        "Your home": "您的住址",
        "When": "来访时间",
        "Change the time": "修改时间",
        "Change the name": "修改称呼",
        "Print invitation": "打印邀请函",
    },
    "InviteDoneScreen": {
        "Your invitation": "邀请函",
        "Print again": "重新打印",
        "Done": "完成",
        "Pass code": "通行短码",
        "Please take the invitation.": "请取走邀请函。",
        "Printing the invitation…": "正在打印邀请函…",
    },
    "Prompt": {
        # -- new: ui/screens/walkin.py, ui/screens/invite.py, kiosk/flows/walkin.py
        "For the safety of the community, a photo will be taken. It is kept for {days} days "
        "and then deleted automatically. You may touch No photo: you can still register.": (
            "为了社区安全，将拍摄一张照片，保存{days}天后自动删除。"
            "您也可以点「不拍照」，照样可以登记。"
        ),
        "If your surname is not in the list, touch Type the full name, "
        "or call a volunteer to help you.": (
            "如果列表中没有您的姓氏，请点「输入全名」，或呼叫志愿者帮忙。"
        ),
        "Asking the resident. One moment please.": "正在通知住户，请稍候。",
        "This home cannot be asked by phone. Volunteer: please check the visit with the "
        "visitor, then touch Approve as volunteer.": (
            "这一户无法通过手机确认。请志愿者与访客核实后，点「志愿者批准」。"
        ),
        "The resident has not answered. Volunteer: please check the visit with the visitor, "
        "then touch Approve as volunteer.": (
            "住户暂未回复。请志愿者与访客核实后，点「志愿者批准」。"
        ),
        "The photo could not be taken. Touch Take photo to try again, "
        "or No photo to go on without one.": (
            "照片没有拍成功。请点「拍照」再试一次，或点「不拍照」继续登记。"
        ),
        "If your visitor's surname is not in the list, please call a volunteer, "
        "who will type the name for you.": "如果列表中没有访客的姓氏，请呼叫志愿者帮您输入。",
        "Making the pass. One moment please.": "正在生成通行码，请稍候。",
        # -- already in kiosk/prompts.py (and in the catalogue, with these translations)
        "Who are you visiting? Choose the building, then the unit, then the room.": (
            "您要拜访哪一户？请依次选择楼栋、单元和房号。"
        ),
        "Please choose your surname, then Mr or Ms. Your full name is not needed.": (
            "请选择您的姓氏，再选「先生」或「女士」。不需要填写全名。"
        ),
        "You may leave a mobile number so the resident can reach you, or touch Skip.": (
            "您可以留下手机号码，方便住户联系您；也可以点「跳过」。"
        ),
        "Why are you visiting today? Choose one.": "请选择您今天的来访事由。",
        "We have asked {household} to approve your visit. Please wait here; "
        "this usually takes a minute or two.": (
            "已通知{household}确认您的来访，请在此稍候，一般需要一两分钟。"
        ),
        "The resident has not answered yet. Please call a volunteer: "
        "a volunteer can approve your visit here.": (
            "住户暂未回复。请呼叫志愿者，志愿者可以在这里为您办理。"
        ),
        "This home cannot be asked by phone. Please call a volunteer: "
        "a volunteer can approve your visit here.": (
            "这一户无法通过手机确认。请呼叫志愿者，志愿者可以在这里为您办理。"
        ),
        "Sorry, the resident cannot receive visitors right now. "
        "Please contact them, or ask at the service desk.": (
            "抱歉，住户现在不方便接待访客。请与住户联系，或到服务台咨询。"
        ),
        "Please go to the service desk, where staff will register your visit.": (
            "请到服务台办理，工作人员会为您登记。"
        ),
        "If your surname is not in the list, please call a volunteer, "
        "who will type your name for you.": "如果列表中没有您的姓氏，请呼叫志愿者帮您输入。",
        "When will your visitor come? Choose the day, then the time.": (
            "访客什么时候来？请先选日期，再选时间段。"
        ),
        "What is your visitor's surname? Choose it, then Mr or Ms.": (
            "访客姓什么？请选择姓氏，再选「先生」或「女士」。"
        ),
        "Invitation for {name}, {window}. Touch Print invitation to print the pass.": (
            "邀请{name}，时间{window}。请点「打印邀请函」打印通行码。"
        ),
        "The invitation is printing. Give it to your visitor, or send them a photo of it. "
        "They show the QR code at the service station, or type the code under it.": (
            "邀请函正在打印。请交给访客，或拍照发给访客。"
            "访客到服务站时出示二维码，或输入二维码下方的短码即可。"
        ),
        "The pass is ready, but it could not be printed. Its code is {code}: "
        "please write it down for your visitor, or ask a volunteer.": (
            "通行码已生成，但未能打印。短码是{code}，请记下告诉访客，或请志愿者帮忙。"
        ),
        "Invitations cannot be printed at this station. Please ask the station staff.": (
            "本服务站暂不能打印邀请函，请咨询工作人员。"
        ),
        "That time cannot be used. Please choose another day or time.": (
            "这个时间不可用，请选择其他日期或时间。"
        ),
    },
}


def translator() -> DictTranslator:
    """A translator answering from :data:`ZH` (install it after the shipped catalogue)."""
    return DictTranslator(ZH)


def write_json(path: Path) -> None:
    path.write_text(json.dumps(ZH, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    write_json(Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/zh_walkin.json"))
