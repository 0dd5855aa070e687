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
</TS>
