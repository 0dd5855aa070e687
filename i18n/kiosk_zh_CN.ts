<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
  <context>
    <name>AdminPinScreen</name>
    <message>
      <source>Set the administrator PIN</source>
      <translation>设置管理员密码</translation>
    </message>
    <message>
      <source>Administrator sign-in</source>
      <translation>管理员登录</translation>
    </message>
    <message>
      <source>Enter the new PIN again to confirm.</source>
      <translation>请再输入一次新密码确认。</translation>
    </message>
  </context>
  <context>
    <name>AdminScreen</name>
    <message>
      <source>Administration</source>
      <extracomment>The screens of admin mode. Moving between them keeps staff signed in; moving to any other screen (首页, 返回 past the admin screen, the PIN screen) ends admin rights.</extracomment>
      <translation>管理</translation>
    </message>
    <message>
      <source>Device</source>
      <translation>设备</translation>
    </message>
    <message>
      <source>Driver</source>
      <translation>驱动</translation>
    </message>
    <message>
      <source>State</source>
      <translation>状态</translation>
    </message>
    <message>
      <source>Test voice</source>
      <translation>语音测试</translation>
    </message>
    <message>
      <source>Refresh</source>
      <translation>刷新</translation>
    </message>
    <message>
      <source>Sign out</source>
      <translation>退出管理</translation>
    </message>
    <message>
      <source>Exit kiosk</source>
      <translation>关闭程序</translation>
    </message>
    <message>
      <source>Visitors inside</source>
      <translation>在场访客</translation>
    </message>
  </context>
  <context>
    <name>AdminVisitorsScreen</name>
    <message>
      <source>Visitors inside</source>
      <extracomment>Rows a page at most. Grid cell (row, column, column span) of each column's header and of a visitor's labels, counted from the visitor's first line, per arrangement. Side by side: one line, under column titles. Stacked (large text, narrow screens; no titles): the name on the left over two lines, the home to its right, check-in time and kiosk under the home.</extracomment>
      <translation>在场访客</translation>
    </message>
    <message>
      <source>Visitor</source>
      <translation>访客</translation>
    </message>
    <message>
      <source>Visiting</source>
      <translation>受访住户</translation>
    </message>
    <message>
      <source>Checked in</source>
      <translation>登记时间</translation>
    </message>
    <message>
      <source>Kiosk</source>
      <translation>终端</translation>
    </message>
    <message>
      <source>Refresh</source>
      <translation>刷新</translation>
    </message>
    <message>
      <source>Back to home</source>
      <translation>返回首页</translation>
    </message>
    <message>
      <source>Previous</source>
      <translation>上一页</translation>
    </message>
    <message>
      <source>Next</source>
      <translation>下一页</translation>
    </message>
    <message>
      <source>Service station</source>
      <translation>社区服务站</translation>
    </message>
    <message>
      <source>Staff only. Please sign in as administrator first.</source>
      <translation>仅限工作人员。请先登录管理。</translation>
    </message>
    <message>
      <source>Inside now: {0}</source>
      <translation>目前在场 {0} 人</translation>
    </message>
    <message>
      <source>Reading the list…</source>
      <translation>正在读取名单…</translation>
    </message>
    <message>
      <source>No visitors are inside.</source>
      <translation>目前没有在场访客。</translation>
    </message>
    <message>
      <source>Page {0} of {1}</source>
      <translation>第 {0}/{1} 页</translation>
    </message>
  </context>
  <context>
    <name>AssistBanner</name>
    <message>
      <source>Volunteer {0} is helping you</source>
      <translation>志愿者 {0} 正在协助您</translation>
    </message>
    <message>
      <source>End assistance</source>
      <translation>结束协助</translation>
    </message>
  </context>
  <context>
    <name>AttractScreen</name>
    <message>
      <source>Community notices</source>
      <translation>社区公告</translation>
    </message>
    <message>
      <source>Touch the screen to begin</source>
      <translation>轻触屏幕开始</translation>
    </message>
  </context>
  <context>
    <name>BottomBar</name>
    <message>
      <source>Elderly mode: on</source>
      <translation>长辈模式：开</translation>
    </message>
    <message>
      <source>Elderly mode</source>
      <translation>长辈模式</translation>
    </message>
    <message>
      <source>Volume {0}/{1}</source>
      <translation>音量 {0}/{1}</translation>
    </message>
    <message>
      <source>Repeat</source>
      <translation>重听</translation>
    </message>
    <message>
      <source>Stop</source>
      <translation>停止</translation>
    </message>
    <message>
      <source>Text size {0}/{1}</source>
      <translation>字号 {0}/{1}</translation>
    </message>
  </context>
  <context>
    <name>CheckInCodeScreen</name>
    <message>
      <source>Type the pass code</source>
      <translation>输入通行短码</translation>
    </message>
  </context>
  <context>
    <name>CheckInConfirmScreen</name>
    <message>
      <source>Please check your visit</source>
      <translation>请核对来访信息</translation>
    </message>
    <message>
      <source>Visitor</source>
      <translation>访客</translation>
    </message>
    <message>
      <source>Visiting</source>
      <translation>被访住户</translation>
    </message>
    <message>
      <source>Valid until</source>
      <translation>有效期至</translation>
    </message>
    <message>
      <source>Confirm check-in</source>
      <translation>确认登记</translation>
    </message>
    <message>
      <source>Cancel</source>
      <translation>取消</translation>
    </message>
  </context>
  <context>
    <name>CheckInResultScreen</name>
    <message>
      <source>Checked in</source>
      <translation>登记成功</translation>
    </message>
    <message>
      <source>Signed out</source>
      <translation>已登记离开</translation>
    </message>
    <message>
      <source>The pass could not be used</source>
      <translation>通行码无法使用</translation>
    </message>
    <message>
      <source>Print again</source>
      <translation>重新打印</translation>
    </message>
    <message>
      <source>Type the code</source>
      <translation>输入短码</translation>
    </message>
    <message>
      <source>Done</source>
      <translation>完成</translation>
    </message>
    <message>
      <source>Exit code {code}</source>
      <translation>离开码 {code}</translation>
    </message>
    <message>
      <source>Printing your slip…</source>
      <translation>正在打印凭条…</translation>
    </message>
    <message>
      <source>Please take your slip.</source>
      <translation>请取走凭条。</translation>
    </message>
  </context>
  <context>
    <name>CheckInScreen</name>
    <message>
      <source>Visitor check-in</source>
      <extracomment>Screens on which a pass or exit QR code read by the camera is acted on.</extracomment>
      <translation>访客登记</translation>
    </message>
    <message>
      <source>Hold the pass QR code up to the camera, about 20 cm away.</source>
      <translation>请将通行二维码对准摄像头，距离约20厘米。</translation>
    </message>
    <message>
      <source>The camera is not working. Please touch Type the code.</source>
      <translation>摄像头暂时无法使用，请点「输入短码」。</translation>
    </message>
    <message>
      <source>Type the code</source>
      <translation>输入短码</translation>
    </message>
    <message>
      <source>Leaving: sign out</source>
      <translation>离开登记</translation>
    </message>
    <message>
      <source>No pass? Register</source>
      <translation>没有通行码</translation>
    </message>
  </context>
  <context>
    <name>CheckOutScreen</name>
    <message>
      <source>Sign out</source>
      <translation>离开登记</translation>
    </message>
  </context>
  <context>
    <name>ChoicePages</name>
    <message>
      <source>Previous page</source>
      <extracomment>At most this many choices on one page in 长辈模式 (ACCESSIBILITY.md item 25). Choices on one page in standard mode.</extracomment>
      <translation>上一页</translation>
    </message>
    <message>
      <source>Next page</source>
      <translation>下一页</translation>
    </message>
    <message>
      <source>Page {page} of {pages}</source>
      <translation>第 {page} 页，共 {pages} 页</translation>
    </message>
  </context>
  <context>
    <name>CodeEntry</name>
    <message>
      <source>The number has {total} digits; {missing} more to type.</source>
      <extracomment>Stands for a digit still to be typed.</extracomment>
      <translation>号码共{total}位，还差{missing}位，请继续输入。</translation>
    </message>
    <message>
      <source>The number is not right. Please check it and type it again.</source>
      <translation>号码有误，请核对后重新输入</translation>
    </message>
  </context>
  <context>
    <name>Device</name>
    <message>
      <source>Speech</source>
      <translation>语音</translation>
    </message>
    <message>
      <source>Database</source>
      <translation>数据库</translation>
    </message>
    <message>
      <source>Receipt printer</source>
      <translation>小票打印机</translation>
    </message>
    <message>
      <source>Camera QR reader</source>
      <translation>扫码摄像头</translation>
    </message>
    <message>
      <source>Card reader</source>
      <translation>读卡器</translation>
    </message>
    <message>
      <source>A4 printer</source>
      <translation>A4 打印机</translation>
    </message>
    <message>
      <source>Health devices</source>
      <translation>健康检测设备</translation>
    </message>
    <message>
      <source>Blood pressure monitor</source>
      <translation>血压计</translation>
    </message>
    <message>
      <source>Scale</source>
      <translation>体重秤</translation>
    </message>
    <message>
      <source>Thermometer</source>
      <translation>体温计</translation>
    </message>
    <message>
      <source>Pulse oximeter</source>
      <translation>血氧仪</translation>
    </message>
    <message>
      <source>Glucose meter</source>
      <translation>血糖仪</translation>
    </message>
  </context>
  <context>
    <name>DeviceState</name>
    <message>
      <source>Ready</source>
      <translation>正常</translation>
    </message>
    <message>
      <source>Busy</source>
      <translation>忙碌</translation>
    </message>
    <message>
      <source>Paper low</source>
      <translation>纸将用完</translation>
    </message>
    <message>
      <source>Paper out</source>
      <translation>缺纸</translation>
    </message>
    <message>
      <source>Offline</source>
      <translation>离线</translation>
    </message>
    <message>
      <source>Error</source>
      <translation>故障</translation>
    </message>
    <message>
      <source>Unknown</source>
      <translation>状态未知</translation>
    </message>
  </context>
  <context>
    <name>Feature</name>
    <message>
      <source>Community notices</source>
      <translation>社区公告</translation>
    </message>
    <message>
      <source>Visitor check-in</source>
      <translation>访客登记</translation>
    </message>
    <message>
      <source>Scan a visitor pass</source>
      <translation>扫描访客通行码</translation>
    </message>
    <message>
      <source>Invite a visitor</source>
      <translation>邀请访客</translation>
    </message>
    <message>
      <source>Print a pass for your visitor</source>
      <translation>为访客打印通行码</translation>
    </message>
  </context>
  <context>
    <name>HomeScreen</name>
    <message>
      <source>Please choose a service</source>
      <translation>请选择服务</translation>
    </message>
    <message>
      <source>Finish and clear my information</source>
      <translation>结束使用并清除我的信息</translation>
    </message>
  </context>
  <context>
    <name>HouseholdPicker</name>
    <message>
      <source>There are no homes to choose.</source>
      <translation>暂无可选择的住户。</translation>
    </message>
    <message>
      <source>Choose the building</source>
      <translation>请选择楼栋</translation>
    </message>
    <message>
      <source>Choose the unit</source>
      <translation>请选择单元</translation>
    </message>
    <message>
      <source>Choose the floor</source>
      <translation>请选择楼层</translation>
    </message>
    <message>
      <source>Choose the room</source>
      <translation>请选择房号</translation>
    </message>
    <message>
      <source>Unit {unit}</source>
      <translation>{unit}单元</translation>
    </message>
    <message>
      <source>Floor {floor}</source>
      <translation>{floor}层</translation>
    </message>
  </context>
  <context>
    <name>IdleOverlay</name>
    <message>
      <source>Are you still there?
This visit ends in {0} seconds.</source>
      <translation>您还在使用吗？
{0} 秒后将自动结束。</translation>
    </message>
    <message>
      <source>Finish now</source>
      <translation>现在结束</translation>
    </message>
    <message>
      <source>Continue</source>
      <translation>继续使用</translation>
    </message>
  </context>
  <context>
    <name>InviteConfirmScreen</name>
    <message>
      <source>Please check the invitation</source>
      <translation>请核对邀请信息</translation>
    </message>
    <message>
      <source>Visitor</source>
      <translation>访客</translation>
    </message>
    <message>
      <source>Your home</source>
      <translation>您的住址</translation>
    </message>
    <message>
      <source>When</source>
      <translation>来访时间</translation>
    </message>
    <message>
      <source>Change the time</source>
      <translation>修改时间</translation>
    </message>
    <message>
      <source>Change the name</source>
      <translation>修改称呼</translation>
    </message>
    <message>
      <source>Print invitation</source>
      <translation>打印邀请函</translation>
    </message>
  </context>
  <context>
    <name>InviteDoneScreen</name>
    <message>
      <source>Your invitation</source>
      <translation>邀请函</translation>
    </message>
    <message>
      <source>Print again</source>
      <translation>重新打印</translation>
    </message>
    <message>
      <source>Done</source>
      <translation>完成</translation>
    </message>
    <message>
      <source>Pass code</source>
      <translation>通行短码</translation>
    </message>
    <message>
      <source>Please take the invitation.</source>
      <translation>请取走邀请函。</translation>
    </message>
    <message>
      <source>Printing the invitation…</source>
      <translation>正在打印邀请函…</translation>
    </message>
  </context>
  <context>
    <name>InviteNameScreen</name>
    <message>
      <source>Your visitor's name</source>
      <translation>访客称呼</translation>
    </message>
    <message>
      <source>Choose your visitor's surname</source>
      <translation>请选择访客的姓氏</translation>
    </message>
    <message>
      <source>How should we address your visitor?</source>
      <translation>请选择对访客的称呼</translation>
    </message>
    <message>
      <source>Back to the surnames</source>
      <translation>返回选择姓氏</translation>
    </message>
  </context>
  <context>
    <name>InviteStep</name>
    <message>
      <source>Inviting to {household}</source>
      <translation>邀请访客到 {household}</translation>
    </message>
    <message>
      <source>Keep “{value}”</source>
      <translation>继续使用“{value}”</translation>
    </message>
  </context>
  <context>
    <name>InviteWhenScreen</name>
    <message>
      <source>Invite a visitor</source>
      <translation>邀请访客</translation>
    </message>
  </context>
  <context>
    <name>Keypad</name>
    <message>
      <source>Delete</source>
      <translation>删除</translation>
    </message>
    <message>
      <source>OK</source>
      <translation>确定</translation>
    </message>
  </context>
  <context>
    <name>KioskWindow</name>
    <message>
      <source>, </source>
      <extracomment>Keys that must never leave or disturb the kiosk from visitor or volunteer mode.</extracomment>
      <translation>、</translation>
    </message>
  </context>
  <context>
    <name>MessageOverlay</name>
    <message>
      <source>OK, got it</source>
      <translation>知道了</translation>
    </message>
  </context>
  <context>
    <name>NameKeyboard</name>
    <message>
      <source>Previous page</source>
      <extracomment>The longest syllable has six letters (zhuang, shuang, chuang). 间隔号, between the parts of a transcribed name (阿依古丽·买买提). Most candidates on a page (the layout may show fewer). Stacked only: the five actions in one row, or in two (long labels, narrow panel).</extracomment>
      <translation>上一页</translation>
    </message>
    <message>
      <source>Next page</source>
      <translation>下一页</translation>
    </message>
    <message>
      <source>Delete</source>
      <translation>删除</translation>
    </message>
    <message>
      <source>Clear</source>
      <translation>清空</translation>
    </message>
    <message>
      <source>Cancel</source>
      <translation>取消</translation>
    </message>
    <message>
      <source>Done</source>
      <translation>完成</translation>
    </message>
    <message>
      <source>Deleted</source>
      <translation>已删除</translation>
    </message>
    <message>
      <source>Cleared</source>
      <translation>已清空</translation>
    </message>
    <message>
      <source>At most {n} characters</source>
      <translation>最多{n}个字</translation>
    </message>
    <message>
      <source>Choose a character first</source>
      <translation>请先点选汉字</translation>
    </message>
    <message>
      <source>No pinyin starts like this</source>
      <translation>没有这样的拼音</translation>
    </message>
    <message>
      <source>The name is too long</source>
      <translation>姓名太长了</translation>
    </message>
    <message>
      <source>Space</source>
      <translation>空格</translation>
    </message>
    <message>
      <source>Name dot</source>
      <translation>间隔号</translation>
    </message>
    <message>
      <source>Clear the name first</source>
      <translation>请先清空姓名</translation>
    </message>
    <message>
      <source>English letters</source>
      <translation>英文字母</translation>
    </message>
    <message>
      <source>Pinyin</source>
      <translation>拼音</translation>
    </message>
    <message>
      <source>Please type your name</source>
      <translation>请输入姓名</translation>
    </message>
    <message>
      <source>At least {n} letters</source>
      <translation>至少{n}个字母</translation>
    </message>
    <message>
      <source>At least {n} characters</source>
      <translation>至少{n}个字</translation>
    </message>
    <message>
      <source>Please check the name</source>
      <translation>请核对姓名</translation>
    </message>
    <message>
      <source>English</source>
      <translation>英文</translation>
    </message>
    <message>
      <source>Type in pinyin</source>
      <translation>改用拼音输入</translation>
    </message>
    <message>
      <source>Type English letters</source>
      <translation>改用英文字母输入</translation>
    </message>
    <message>
      <source>Dot ·</source>
      <translation>间隔号·</translation>
    </message>
    <message>
      <source>Touch a character</source>
      <translation>请点选汉字</translation>
    </message>
    <message>
      <source>Type the letters</source>
      <translation>请输入字母</translation>
    </message>
    <message>
      <source>Type the pinyin</source>
      <translation>请输入拼音</translation>
    </message>
  </context>
  <context>
    <name>NoticesScreen</name>
    <message>
      <source>Community notices</source>
      <translation>社区公告</translation>
    </message>
    <message>
      <source>Previous</source>
      <translation>上一条</translation>
    </message>
    <message>
      <source>Next</source>
      <translation>下一条</translation>
    </message>
    <message>
      <source>{0} of {1}</source>
      <translation>第 {0} 条，共 {1} 条</translation>
    </message>
  </context>
  <context>
    <name>PhoneEntry</name>
    <message>
      <source>Skip</source>
      <translation>跳过</translation>
    </message>
    <message>
      <source>Please type your mobile number, or press Skip.</source>
      <translation>请输入手机号码，或按“跳过”。</translation>
    </message>
    <message>
      <source>A mobile number has 11 digits and starts with 1. Please check it.</source>
      <translation>手机号码为11位，以1开头，请核对后重新输入。</translation>
    </message>
  </context>
  <context>
    <name>Prompt</name>
    <message>
      <source>Welcome. Touch the screen to begin.</source>
      <translation>欢迎使用社区服务站，请轻触屏幕开始。</translation>
    </message>
    <message>
      <source>Please choose a service. Touch a large button to continue.</source>
      <translation>请选择您要办理的服务，点一下大按钮即可。</translation>
    </message>
    <message>
      <source>Elderly mode is on. Text is larger and every screen is read aloud. At the bottom of the screen: {controls}. At the top: {top}.</source>
      <translation>已打开长辈模式，字更大，每个页面都会读给您听。屏幕下方有：{controls}。屏幕上方有：{top}。</translation>
    </message>
    <message>
      <source>Elderly mode is off.</source>
      <translation>已关闭长辈模式。</translation>
    </message>
    <message>
      <source>A volunteer has been called and is on the way. Please wait here.</source>
      <translation>已为您呼叫志愿者，志愿者马上就到，请在这里稍等。</translation>
    </message>
    <message>
      <source>The call for help could not be recorded. Please ask at the service desk.</source>
      <translation>呼叫没有成功，请到服务台找工作人员。</translation>
    </message>
    <message>
      <source>Are you still there? This visit will end in {seconds} seconds. Touch Continue to keep going.</source>
      <translation>您还在使用吗？{seconds} 秒后将自动结束。如需继续，请点“继续使用”。</translation>
    </message>
    <message>
      <source>Volume {level}.</source>
      <translation>音量 {level}。</translation>
    </message>
    <message>
      <source>Text size {level}.</source>
      <translation>字号 {level}。</translation>
    </message>
    <message>
      <source>Community notices. Use Previous and Next to read each notice.</source>
      <translation>社区公告。请点“上一条”或“下一条”翻看公告。</translation>
    </message>
    <message>
      <source>Notice {index} of {count}: {title}. {body}</source>
      <translation>第 {index} 条公告，共 {count} 条：{title}。{body}</translation>
    </message>
    <message>
      <source>There are no notices at the moment.</source>
      <translation>目前没有公告。</translation>
    </message>
    <message>
      <source>Staff only. Enter the administrator PIN.</source>
      <translation>仅限工作人员。请输入管理员密码。</translation>
    </message>
    <message>
      <source>First start. Choose an administrator PIN of 6 to 12 digits, then enter it again.</source>
      <translation>首次使用，请设置 6 到 12 位数字的管理员密码，并再输入一次确认。</translation>
    </message>
    <message>
      <source>Wrong PIN. {left} attempts left before the lock.</source>
      <translation>密码错误。再错 {left} 次将被锁定。</translation>
    </message>
    <message>
      <source>Too many wrong PINs. Locked for {minutes} minutes.</source>
      <translation>密码错误次数过多，已锁定 {minutes} 分钟。</translation>
    </message>
    <message>
      <source>The two PINs differ. Please enter the new PIN again.</source>
      <translation>两次输入的密码不一致，请重新输入新密码。</translation>
    </message>
    <message>
      <source>This PIN is too easy to guess. Use 6 to 12 digits, not all the same and not in a row.</source>
      <translation>这个密码太容易被猜到。请用 6 到 12 位数字，不要全部相同，也不要是连续数字。</translation>
    </message>
    <message>
      <source>Administration. Device states and station settings.</source>
      <translation>管理页面：设备状态和站点设置。</translation>
    </message>
    <message>
      <source>This is a voice test of the community service station.</source>
      <translation>这是社区服务站的语音测试。</translation>
    </message>
    <message>
      <source>Something went wrong. Please try again or call a volunteer.</source>
      <translation>出了点问题，请再试一次，或呼叫志愿者。</translation>
    </message>
    <message>
      <source>Please enter your volunteer PIN, then press OK.</source>
      <translation>请输入您的志愿者密码，然后点“确定”。</translation>
    </message>
    <message>
      <source>Too many wrong PINs. Volunteer sign-in is locked for {minutes} minutes.</source>
      <translation>密码错误次数过多，志愿者登录已锁定 {minutes} 分钟。</translation>
    </message>
    <message>
      <source>This volunteer has no PIN yet. Please ask the station staff to set one.</source>
      <translation>这位志愿者还没有设置密码，请找服务站工作人员设置。</translation>
    </message>
    <message>
      <source>Volunteer {name} is signed in. Assisted mode is on.</source>
      <translation>志愿者 {name} 已登录，现在是协助办理模式。</translation>
    </message>
    <message>
      <source>Visitor check-in. Hold your pass QR code up to the camera. If it will not scan, touch Type the code.</source>
      <translation>访客登记。请将通行二维码对准摄像头。如果扫不出来，请点「输入短码」。</translation>
    </message>
    <message>
      <source>Type the 9-digit code printed under the pass QR code, then press OK.</source>
      <translation>请输入通行二维码下方的9位短码，然后按「确定」。</translation>
    </message>
    <message>
      <source>Checking your pass. One moment please.</source>
      <translation>正在核验通行码，请稍候。</translation>
    </message>
    <message>
      <source>Please check: visitor {name}, visiting {household}, valid until {until}. If this is right, touch Confirm check-in.</source>
      <translation>请核对：访客{name}，被访住户{household}，有效期至{until}。如果无误，请点「确认登记」。</translation>
    </message>
    <message>
      <source>Welcome! You are checked in. Please take your slip, and scan its code when you leave.</source>
      <translation>欢迎来访！登记成功。请取走凭条，离开时扫描凭条上的二维码。</translation>
    </message>
    <message>
      <source>You are checked in, but the slip could not be printed. Your exit code is {code}. Please write it down or take a photo of the screen, or ask a volunteer.</source>
      <translation>登记成功，但凭条未能打印。您的离开码是{code}，请记下或拍下屏幕，也可以请志愿者帮忙。</translation>
    </message>
    <message>
      <source>This pass could not be verified. Please ask the resident you are visiting to send the pass again, or call a volunteer.</source>
      <translation>这张通行码无法核验。请联系被访住户重新发送，或呼叫志愿者。</translation>
    </message>
    <message>
      <source>This code is not a visitor pass of this community. Please show the pass QR code, or type the code printed under it.</source>
      <translation>这不是本社区的访客通行码。请出示通行二维码，或输入二维码下方的短码。</translation>
    </message>
    <message>
      <source>This pass is of a newer kind that this kiosk cannot read yet. Please call a volunteer.</source>
      <translation>这是新版通行码，本机暂时无法识别。请呼叫志愿者。</translation>
    </message>
    <message>
      <source>This pass has expired. Please ask the resident you are visiting to send a new pass, or call a volunteer.</source>
      <translation>这张通行码已过期。请联系被访住户重新发送，或呼叫志愿者。</translation>
    </message>
    <message>
      <source>This pass is not valid yet. Please come back at the time the resident chose, or ask them to change it.</source>
      <translation>这张通行码尚未生效。请在住户约定的时间再来，或请住户修改时间。</translation>
    </message>
    <message>
      <source>This pass has already been used, and each pass works only once. Please ask the resident for a new pass, or call a volunteer.</source>
      <translation>这张通行码已经使用过，每张只能使用一次。请向住户索取新的通行码，或呼叫志愿者。</translation>
    </message>
    <message>
      <source>This pass is for another community. Please check that this is the right service station, or call a volunteer.</source>
      <translation>这张通行码属于其他社区。请确认您来到的是正确的服务站，或呼叫志愿者。</translation>
    </message>
    <message>
      <source>That number is not right. Please check it and type it again.</source>
      <translation>号码不对，请核对后重新输入。</translation>
    </message>
    <message>
      <source>Too many wrong numbers. Please wait {seconds} seconds and try again, or call a volunteer.</source>
      <translation>输错次数太多。请等待{seconds}秒后再试，或呼叫志愿者。</translation>
    </message>
    <message>
      <source>The community system cannot be reached right now. Please try again in a moment, or call a volunteer.</source>
      <translation>暂时连不上社区系统。请稍后再试，或呼叫志愿者。</translation>
    </message>
    <message>
      <source>Leaving? Hold the QR code on your visitor slip up to the camera, or type the exit code printed under it.</source>
      <translation>要离开了吗？请将访客凭条上的二维码对准摄像头，或输入二维码下方的离开码。</translation>
    </message>
    <message>
      <source>Goodbye, {name}. Your departure has been recorded.</source>
      <translation>{name}，再见！已为您登记离开。</translation>
    </message>
    <message>
      <source>This slip has already been used to sign out. Goodbye!</source>
      <translation>这张凭条已经登记过离开。再见！</translation>
    </message>
    <message>
      <source>No visit with this exit code is open here. Please check the number, or call a volunteer.</source>
      <translation>没有找到这个离开码对应的来访记录。请核对号码，或呼叫志愿者。</translation>
    </message>
    <message>
      <source>Who are you visiting? Choose the building, then the unit, then the room.</source>
      <translation>您要拜访哪一户？请依次选择楼栋、单元和房号。</translation>
    </message>
    <message>
      <source>Please choose your surname, then Mr or Ms. Your full name is not needed.</source>
      <translation>请选择您的姓氏，再选「先生」或「女士」。不需要填写全名。</translation>
    </message>
    <message>
      <source>You may leave a mobile number so the resident can reach you, or touch Skip.</source>
      <translation>您可以留下手机号码，方便住户联系您；也可以点「跳过」。</translation>
    </message>
    <message>
      <source>Why are you visiting today? Choose one.</source>
      <translation>请选择您今天的来访事由。</translation>
    </message>
    <message>
      <source>We have asked {household} to approve your visit. Please wait here; this usually takes a minute or two.</source>
      <translation>已通知{household}确认您的来访，请在此稍候，一般需要一两分钟。</translation>
    </message>
    <message>
      <source>The resident has not answered yet. Please call a volunteer: a volunteer can approve your visit here.</source>
      <translation>住户暂未回复。请呼叫志愿者，志愿者可以在这里为您办理。</translation>
    </message>
    <message>
      <source>This home cannot be asked by phone. Please call a volunteer: a volunteer can approve your visit here.</source>
      <translation>这一户无法通过手机确认。请呼叫志愿者，志愿者可以在这里为您办理。</translation>
    </message>
    <message>
      <source>Sorry, the resident cannot receive visitors right now. Please contact them, or ask at the service desk.</source>
      <translation>抱歉，住户现在不方便接待访客。请与住户联系，或到服务台咨询。</translation>
    </message>
    <message>
      <source>Please go to the service desk, where staff will register your visit.</source>
      <translation>请到服务台办理，工作人员会为您登记。</translation>
    </message>
    <message>
      <source>If your surname is not in the list, please call a volunteer, who will type your name for you.</source>
      <translation>如果列表中没有您的姓氏，请呼叫志愿者帮您输入。</translation>
    </message>
    <message>
      <source>When will your visitor come? Choose the day, then the time.</source>
      <translation>访客什么时候来？请先选日期，再选时间段。</translation>
    </message>
    <message>
      <source>What is your visitor's surname? Choose it, then Mr or Ms.</source>
      <translation>访客姓什么？请选择姓氏，再选「先生」或「女士」。</translation>
    </message>
    <message>
      <source>Invitation for {name}, {window}. Touch Print invitation to print the pass.</source>
      <translation>邀请{name}，时间{window}。请点「打印邀请函」打印通行码。</translation>
    </message>
    <message>
      <source>The invitation is printing. Give it to your visitor, or send them a photo of it. They show the QR code at the service station, or type the code under it.</source>
      <translation>邀请函正在打印。请交给访客，或拍照发给访客。访客到服务站时出示二维码，或输入二维码下方的短码即可。</translation>
    </message>
    <message>
      <source>The pass is ready, but it could not be printed. Its code is {code}: please write it down for your visitor, or ask a volunteer.</source>
      <translation>通行码已生成，但未能打印。短码是{code}，请记下告诉访客，或请志愿者帮忙。</translation>
    </message>
    <message>
      <source>Invitations cannot be printed at this station. Please ask the station staff.</source>
      <translation>本服务站暂不能打印邀请函，请咨询工作人员。</translation>
    </message>
    <message>
      <source>That time cannot be used. Please choose another day or time.</source>
      <translation>这个时间不可用，请选择其他日期或时间。</translation>
    </message>
    <message>
      <source>Please tell us who you are: tap your community card on the reader, show your resident code to the camera, or enter your room number.</source>
      <translation>请确认您的身份：在读卡器上刷社区卡，向摄像头出示居民码，或输入房号。</translation>
    </message>
    <message>
      <source>Tap your community card on the card reader and hold it there.</source>
      <translation>请将社区卡放在读卡器上，稍等片刻再拿开。</translation>
    </message>
    <message>
      <source>Open the community app, show your resident code and hold the phone up to the camera.</source>
      <translation>请打开社区App，出示居民码，把手机屏幕对准摄像头。</translation>
    </message>
    <message>
      <source>Choose your building, unit and room.</source>
      <translation>请依次选择楼栋、单元和房号。</translation>
    </message>
    <message>
      <source>Enter the last 4 digits of the phone number registered for {household}, then press OK.</source>
      <translation>请输入{household}登记的手机号码后4位，然后按“确定”。</translation>
    </message>
    <message>
      <source>Please enter all 4 digits of the phone number, then press OK.</source>
      <translation>请输入完整的手机号码后4位，然后按“确定”。</translation>
    </message>
    <message>
      <source>Checking. One moment please.</source>
      <translation>正在核对，请稍候。</translation>
    </message>
    <message>
      <source>Volunteer, please check: {name}, {household}. If this is the resident, touch Confirm identity.</source>
      <translation>请志愿者核对：{name}，{household}。确认是本人，请点“确认身份”。</translation>
    </message>
    <message>
      <source>Hello, {name}.</source>
      <translation>{name}，您好。</translation>
    </message>
    <message>
      <source>Not confirmed. Please check the room number and phone digits, or use a card.</source>
      <translation>未确认身份。请核对房号和手机尾号，或改用社区卡。</translation>
    </message>
    <message>
      <source>The room number and phone digits do not match. Please check them and try again. {left} attempts left.</source>
      <translation>房号与手机尾号不符，请核对后重试。还可以尝试 {left} 次。</translation>
    </message>
    <message>
      <source>The room number and phone digits do not match. Please check them and try again.</source>
      <translation>房号与手机尾号不符，请核对后重试。</translation>
    </message>
    <message>
      <source>Too many attempts for this room. Please try again in {minutes} minutes, use your card or resident code, or ask a volunteer.</source>
      <translation>该房号尝试次数过多。请 {minutes} 分钟后再试，或改用社区卡、居民码，也可以请志愿者帮忙。</translation>
    </message>
    <message>
      <source>Too many attempts for this room: it is locked until the station staff unlock it. Please use your card or resident code, or ask the station staff.</source>
      <translation>该房号尝试次数过多，已锁定，需由服务站工作人员解锁。请改用社区卡或居民码，或联系服务站工作人员。</translation>
    </message>
    <message>
      <source>Several residents of this room have these phone digits. Please use your card or resident code, or ask a volunteer.</source>
      <translation>该房号有多位居民的手机尾号相同。请改用社区卡或居民码，或请志愿者帮忙。</translation>
    </message>
    <message>
      <source>This resident code has expired. Please refresh the code in the app and show it again.</source>
      <translation>居民码已过期，请在App中刷新后重新出示。</translation>
    </message>
    <message>
      <source>This code cannot be used here. Please show the resident code of the community app, or use your card or room number.</source>
      <translation>此码不能在这里使用。请出示社区App中的居民码，或改用社区卡、房号。</translation>
    </message>
    <message>
      <source>This card is not registered. Please use your resident code or room number, or ask a volunteer.</source>
      <translation>此卡未登记。请改用居民码或房号，或请志愿者帮忙。</translation>
    </message>
    <message>
      <source>This resident is not registered at this station. Please ask a volunteer.</source>
      <translation>本服务站没有该居民的登记信息，请联系志愿者。</translation>
    </message>
    <message>
      <source>The community platform cannot be reached right now. Please try again in a moment, or ask a volunteer.</source>
      <translation>暂时无法连接社区平台。请稍后再试，或请志愿者帮忙。</translation>
    </message>
    <message>
      <source>This volunteer code has expired. Please refresh the code in the app and show it again.</source>
      <translation>志愿者码已过期，请在App中刷新后重新出示。</translation>
    </message>
    <message>
      <source>This code cannot be used here. Please show the volunteer code of the community app, or use your staff card.</source>
      <translation>此码不能在这里使用。请出示社区App中的志愿者码，或刷工作卡。</translation>
    </message>
    <message>
      <source>This volunteer is not registered or not active at this station. Please ask the station staff.</source>
      <translation>该志愿者未在本服务站登记或已停用，请联系服务站工作人员。</translation>
    </message>
    <message>
      <source>Volunteer sign-in is not possible right now: the community platform cannot be reached. Please try again in a moment.</source>
      <translation>暂时无法连接社区平台，志愿者暂不能登录，请稍后再试。</translation>
    </message>
    <message>
      <source>Too many wrong PINs. This PIN is locked until the station staff unlock it. Please ask the station staff.</source>
      <extracomment>A PIN (volunteer or admin) locked by the hard cap: only staff can unlock it.</extracomment>
      <translation>密码错误次数过多，该密码已锁定，需由服务站工作人员解锁。请联系服务站工作人员。</translation>
    </message>
    <message>
      <source>Assisted mode ends in {seconds} seconds. To go on, the volunteer signs in again with card or code and PIN.</source>
      <translation>协助模式将在 {seconds} 秒后结束。如需继续，请志愿者重新刷卡或出示志愿者码，并输入密码。</translation>
    </message>
    <message>
      <source>Assisted mode has ended: a volunteer sign-in lasts {minutes} minutes. The volunteer can sign in again to go on.</source>
      <translation>协助模式已结束：志愿者每次登录最长 {minutes} 分钟。志愿者重新登录后可继续。</translation>
    </message>
    <message>
      <source>Assisted mode has ended because the screen was not used.</source>
      <translation>屏幕长时间无人操作，协助模式已结束。</translation>
    </message>
    <message>
      <source>The photo could not be taken. Touch Take photo to try again, or No photo to go on without one.</source>
      <translation>照片没有拍成功。请点「拍照」再试一次，或点「不拍照」继续登记。</translation>
    </message>
    <message>
      <source>If your visitor's surname is not in the list, please call a volunteer, who will type the name for you.</source>
      <translation>如果列表中没有访客的姓氏，请呼叫志愿者帮您输入。</translation>
    </message>
    <message>
      <source>Making the pass. One moment please.</source>
      <translation>正在生成通行码，请稍候。</translation>
    </message>
    <message>
      <source>For the safety of the community, a photo will be taken. It is kept for {days} days and then deleted automatically. You may touch No photo: you can still register.</source>
      <translation>为了社区安全，将拍摄一张照片，保存{days}天后自动删除。您也可以点「不拍照」，照样可以登记。</translation>
    </message>
    <message>
      <source>If your surname is not in the list, touch Type the full name, or call a volunteer to help you.</source>
      <translation>如果列表中没有您的姓氏，请点「输入全名」，或呼叫志愿者帮忙。</translation>
    </message>
    <message>
      <source>Asking the resident. One moment please.</source>
      <translation>正在通知住户，请稍候。</translation>
    </message>
    <message>
      <source>This home cannot be asked by phone. Volunteer: please check the visit with the visitor, then touch Approve as volunteer.</source>
      <translation>这一户无法通过手机确认。请志愿者与访客核实后，点「志愿者批准」。</translation>
    </message>
    <message>
      <source>The resident has not answered. Volunteer: please check the visit with the visitor, then touch Approve as volunteer.</source>
      <translation>住户暂未回复。请志愿者与访客核实后，点「志愿者批准」。</translation>
    </message>
  </context>
  <context>
    <name>ResidentIdentifyScreen</name>
    <message>
      <source>Resident identification</source>
      <translation>居民身份确认</translation>
    </message>
    <message>
      <source>Tap card</source>
      <translation>刷社区卡</translation>
    </message>
    <message>
      <source>Show code</source>
      <translation>出示居民码</translation>
    </message>
    <message>
      <source>Room + phone</source>
      <translation>房号+手机尾号</translation>
    </message>
    <message>
      <source>Change the room</source>
      <translation>重选房号</translation>
    </message>
    <message>
      <source>Other ways</source>
      <translation>换一种方式</translation>
    </message>
    <message>
      <source>Confirm identity</source>
      <translation>确认身份</translation>
    </message>
    <message>
      <source>Not this person</source>
      <translation>不是本人</translation>
    </message>
    <message>
      <source>The camera is not working. Please use your card or room number.</source>
      <translation>摄像头暂时不能使用，请刷社区卡或选择房号。</translation>
    </message>
    <message>
      <source>Picture: a community card held just above the card reader.</source>
      <translation>图示：把社区卡放在读卡器上方。</translation>
    </message>
    <message>
      <source>Volunteer, please check who this is:</source>
      <translation>请志愿者核对：</translation>
    </message>
    <message>
      <source>{name}, {household}</source>
      <translation>{name}，{household}</translation>
    </message>
  </context>
  <context>
    <name>Screen</name>
    <message>
      <source>, </source>
      <translation>、</translation>
    </message>
    <message>
      <source>Buttons: {labels}.</source>
      <translation>可以点的按钮有：{labels}。</translation>
    </message>
  </context>
  <context>
    <name>Slip</name>
    <message>
      <source>Visitor slip</source>
      <extracomment>How times are printed, in every language.</extracomment>
      <translation>访客登记凭条</translation>
    </message>
    <message>
      <source>Visitor invitation</source>
      <translation>访客邀请</translation>
    </message>
    <message>
      <source>Station: {station}</source>
      <translation>服务站：{station}</translation>
    </message>
    <message>
      <source>Checked in: {time}</source>
      <translation>来访时间：{time}</translation>
    </message>
    <message>
      <source>Visitor: {name}</source>
      <translation>访客：{name}</translation>
    </message>
    <message>
      <source>Visiting: {household}</source>
      <translation>受访住户：{household}</translation>
    </message>
    <message>
      <source>Visiting: the service station</source>
      <translation>受访：社区服务站</translation>
    </message>
    <message>
      <source>Valid from: {time}</source>
      <translation>生效时间：{time}</translation>
    </message>
    <message>
      <source>Valid until: {time}</source>
      <translation>有效期至：{time}</translation>
    </message>
    <message>
      <source>When you leave, scan the QR code below or enter the exit code at the service station.</source>
      <translation>离开时请扫描下方二维码或在服务站输入离开码</translation>
    </message>
    <message>
      <source>When you leave, scan the QR code below at the service station.</source>
      <translation>离开时请在服务站扫描下方二维码</translation>
    </message>
    <message>
      <source>Exit code {code}</source>
      <translation>离开码 {code}</translation>
    </message>
    <message>
      <source>This slip is only for registering this visit. Please do not pass it on.</source>
      <translation>本凭条仅用于本次来访登记，请勿转交他人</translation>
    </message>
    <message>
      <source>When you come, scan the QR code at the community service station, or enter the short code below.</source>
      <translation>请来访时在社区服务站扫描二维码，或输入下方短码</translation>
    </message>
    <message>
      <source>Short code {code}</source>
      <translation>短码 {code}</translation>
    </message>
    <message>
      <source>This invitation is only for the visitor named on it. Please do not pass it on.</source>
      <translation>本邀请仅限上述访客本人使用，请勿转交他人</translation>
    </message>
  </context>
  <context>
    <name>StepHeader</name>
    <message>
      <source>Previous step</source>
      <translation>返回上一步</translation>
    </message>
    <message>
      <source>Chosen: {path}</source>
      <translation>已选：{path}</translation>
    </message>
  </context>
  <context>
    <name>SurnameGrid</name>
    <message>
      <source>Other surname</source>
      <extracomment>The 30 most common surnames, most common first. The titles in the order offered; the display name is surname + title.</extracomment>
      <translation>其他姓氏</translation>
    </message>
    <message>
      <source>How should we address you?</source>
      <translation>请选择称呼</translation>
    </message>
    <message>
      <source>Mr {surname}</source>
      <translation>{surname}先生</translation>
    </message>
    <message>
      <source>Ms {surname}</source>
      <translation>{surname}女士</translation>
    </message>
    <message>
      <source>Choose your surname</source>
      <translation>请选择您的姓氏</translation>
    </message>
  </context>
  <context>
    <name>TimeWindowPicker</name>
    <message>
      <source>Which day will the guest come?</source>
      <translation>请选择来访日期</translation>
    </message>
    <message>
      <source>At what time?</source>
      <translation>请选择来访时间段</translation>
    </message>
    <message>
      <source>Mon</source>
      <translation>周一</translation>
    </message>
    <message>
      <source>Tue</source>
      <translation>周二</translation>
    </message>
    <message>
      <source>Wed</source>
      <translation>周三</translation>
    </message>
    <message>
      <source>Thu</source>
      <translation>周四</translation>
    </message>
    <message>
      <source>Fri</source>
      <translation>周五</translation>
    </message>
    <message>
      <source>Sat</source>
      <translation>周六</translation>
    </message>
    <message>
      <source>Sun</source>
      <translation>周日</translation>
    </message>
    <message>
      <source>{weekday} {day}/{month}</source>
      <translation>{month}月{day}日 {weekday}</translation>
    </message>
    <message>
      <source>Today</source>
      <translation>今天</translation>
    </message>
    <message>
      <source>Tomorrow</source>
      <translation>明天</translation>
    </message>
    <message>
      <source>Day after tomorrow</source>
      <translation>后天</translation>
    </message>
    <message>
      <source>Morning</source>
      <translation>上午</translation>
    </message>
    <message>
      <source>Afternoon</source>
      <translation>下午</translation>
    </message>
    <message>
      <source>Evening</source>
      <translation>晚上</translation>
    </message>
    <message>
      <source>All day</source>
      <translation>全天</translation>
    </message>
  </context>
  <context>
    <name>TopBar</name>
    <message>
      <source>Back</source>
      <translation>返回</translation>
    </message>
    <message>
      <source>Home</source>
      <translation>首页</translation>
    </message>
    <message>
      <source>Call a volunteer</source>
      <translation>呼叫志愿者</translation>
    </message>
  </context>
  <context>
    <name>VolunteerPinScreen</name>
    <message>
      <source>Volunteer sign-in</source>
      <translation>志愿者登录</translation>
    </message>
  </context>
  <context>
    <name>WalkInFullNameScreen</name>
    <message>
      <source>Type the pinyin of each character of your name, then touch the character. For a name in English letters, touch English first.</source>
      <extracomment>The next step of the walk-in (ui/screens/walkin.py).</extracomment>
      <translation>请逐字输入姓名的拼音，再点选对应的汉字。外文姓名请先点“英文”。</translation>
    </message>
    <message>
      <source>Type your name</source>
      <translation>输入姓名</translation>
    </message>
  </context>
  <context>
    <name>WalkInHostScreen</name>
    <message>
      <source>Who are you visiting?</source>
      <translation>您要拜访哪一户？</translation>
    </message>
    <message>
      <source>Try again</source>
      <translation>重试</translation>
    </message>
  </context>
  <context>
    <name>WalkInNameScreen</name>
    <message>
      <source>Your name</source>
      <translation>您的称呼</translation>
    </message>
    <message>
      <source>Type the full name</source>
      <translation>输入全名</translation>
    </message>
    <message>
      <source>Back to the surnames</source>
      <translation>返回选择姓氏</translation>
    </message>
  </context>
  <context>
    <name>WalkInPhoneScreen</name>
    <message>
      <source>Your mobile number</source>
      <translation>您的手机号码</translation>
    </message>
  </context>
  <context>
    <name>WalkInPhotoScreen</name>
    <message>
      <source>Photo for the visitor record</source>
      <translation>拍照登记</translation>
    </message>
    <message>
      <source>Take photo</source>
      <translation>拍照</translation>
    </message>
    <message>
      <source>No photo</source>
      <translation>不拍照</translation>
    </message>
    <message>
      <source>The camera is not working. Please touch No photo to go on.</source>
      <translation>摄像头暂时无法使用，请点「不拍照」继续。</translation>
    </message>
  </context>
  <context>
    <name>WalkInReasonScreen</name>
    <message>
      <source>Reason for the visit</source>
      <translation>来访事由</translation>
    </message>
    <message>
      <source>Visiting family</source>
      <translation>探亲</translation>
    </message>
    <message>
      <source>Visiting friends</source>
      <translation>访友</translation>
    </message>
    <message>
      <source>Delivery</source>
      <translation>快递外卖</translation>
    </message>
    <message>
      <source>Repair</source>
      <translation>维修</translation>
    </message>
    <message>
      <source>Housekeeping</source>
      <translation>家政</translation>
    </message>
    <message>
      <source>Other</source>
      <translation>其他</translation>
    </message>
  </context>
  <context>
    <name>WalkInResultScreen</name>
    <message>
      <source>Visitor registration</source>
      <translation>访客登记</translation>
    </message>
    <message>
      <source>Done</source>
      <translation>完成</translation>
    </message>
  </context>
  <context>
    <name>WalkInStep</name>
    <message>
      <source>Visiting {household}</source>
      <extracomment>What ``summary`` shows: any of "household", "name", "phone".</extracomment>
      <translation>拜访 {household}</translation>
    </message>
    <message>
      <source>Keep “{value}”</source>
      <translation>继续使用“{value}”</translation>
    </message>
  </context>
  <context>
    <name>WalkInWaitScreen</name>
    <message>
      <source>Waiting for the resident</source>
      <translation>等待住户确认</translation>
    </message>
    <message>
      <source>Cancel</source>
      <translation>取消</translation>
    </message>
    <message>
      <source>Approve as volunteer</source>
      <translation>志愿者批准</translation>
    </message>
    <message>
      <source>Try again</source>
      <translation>重试</translation>
    </message>
    <message>
      <source>Waiting for {seconds} s</source>
      <translation>已等待 {seconds} 秒</translation>
    </message>
    <message>
      <source>Waiting for {minutes} min {seconds} s</source>
      <translation>已等待 {minutes} 分 {seconds} 秒</translation>
    </message>
  </context>
</TS>
